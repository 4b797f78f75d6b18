"""An alias (a page nobody has translated yet, in another language's tree) is left out of
the search index: every search drops it anyway; indexed, it doubled the index."""

import pytest
from wagtail.models import Locale
from wagtail.search.models import IndexEntry

from lessons.models import LessonPage
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


def _indexed(page):
    return IndexEntry.objects.filter(object_id=str(page.pk)).exists()


def test_an_alias_is_not_indexed_and_its_translation_is():
    lesson = make_lesson("只在中文里的测试课")
    english = Locale.objects.get(language_code="en")
    alias = lesson.copy_for_translation(english, copy_parents=True, alias=True)
    assert _indexed(lesson) and not _indexed(alias)
    assert not LessonPage.get_indexed_objects().filter(pk=alias.pk).exists()

    # Translated: no longer an alias, its own words are indexed when it is saved.
    translation = LessonPage.objects.get(pk=alias.pk)
    translation.alias_of = None
    translation.title = "A lesson translated at last"
    translation.save_revision().publish()
    assert _indexed(translation)
