"""A block of many saves (the site's set-up, the demo) is indexed for search and
references once, at its end, including the importer's batches inside it; after the
block, every save is indexed at once again."""

import pytest
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

from pioneer.content_io.bulk import deferred_indexing, indexed_once
from tests.support.factories import make_lesson, region

pytestmark = pytest.mark.django_db


def _indexed(obj):
    return IndexEntry.objects.filter(object_id=str(obj.pk)).exists()


def test_saves_in_the_block_are_indexed_at_its_end():
    with indexed_once():
        lesson = make_lesson("集中索引的测试课", region=region("tonglu"))
        with deferred_indexing() as inner:  # the importer's batch, inside the block
            assert inner is not None
            nested = make_lesson("批次里的测试课")
            inner.flush()
        assert _indexed(nested)  # a batch's flush indexes what is noted so far
        later = make_lesson("批次之后的测试课")
        assert not _indexed(later)
    assert _indexed(lesson) and _indexed(later)
    assert ReferenceIndex.objects.filter(object_id=str(lesson.pk)).exists()

    after = make_lesson("块外的测试课")  # the handlers are connected again
    assert _indexed(after)


def test_what_was_saved_is_indexed_even_when_the_block_fails():
    with pytest.raises(RuntimeError), indexed_once():
        lesson = make_lesson("出错前保存的测试课")
        raise RuntimeError("a step failed")
    assert _indexed(lesson)
    assert _indexed(make_lesson("出错之后的测试课"))
