"""A series is found by what its lessons teach (``LessonSeriesPage.lessons_text``), and stays
so when a lesson changes or is withdrawn (lessons/signals.py)."""

import pytest
from wagtail.models import Locale

from search import service
from search.models import SynonymGroup
from tests.support.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_groups():
    SynonymGroup.objects.all().delete()


def _titles(query):
    locale = Locale.objects.get(language_code="zh-hans")
    return [hit.page.title for hit in service.search(query, locale, page_size=50).hits]


def test_a_series_is_found_by_its_lessons_words_after_the_lessons():
    blast = make_lesson("稻瘟病的识别测试课", summary="叶瘟和穗颈瘟的田间症状。")
    make_series("水稻全程测试专题", [blast, make_lesson("机插秧测试课")])
    found = _titles("穗颈瘟")
    assert found == ["稻瘟病的识别测试课", "水稻全程测试专题"]


def test_a_lesson_changed_later_moves_its_series_with_it(django_capture_on_commit_callbacks):
    lesson = make_lesson("秧田管理测试课")
    make_series("水稻全程测试专题", [lesson])
    assert "水稻全程测试专题" not in _titles("纹枯病")
    lesson.title = "纹枯病防治测试课"
    with django_capture_on_commit_callbacks(execute=True):
        lesson.save_revision().publish()
    assert "水稻全程测试专题" in _titles("纹枯病")
    with django_capture_on_commit_callbacks(execute=True):
        lesson.unpublish()
    assert "水稻全程测试专题" not in _titles("纹枯病")


def test_a_deleted_lesson_leaves_its_series_index(django_capture_on_commit_callbacks):
    lesson = make_lesson("纹枯病防治测试课")
    make_series("水稻全程测试专题", [lesson, make_lesson("秧田管理测试课")])
    assert "水稻全程测试专题" in _titles("纹枯病")
    with django_capture_on_commit_callbacks(execute=True):
        lesson.delete()
    assert "水稻全程测试专题" not in _titles("纹枯病")


def test_a_series_published_with_a_new_lesson_is_found_by_it(django_capture_on_commit_callbacks):
    """One save, as the admin's publish does: the lesson list is saved after the page."""
    from lessons.models import SeriesMember

    series = make_series("水稻全程测试专题", [make_lesson("秧田管理测试课")])
    added = make_lesson("纹枯病防治测试课")
    assert "水稻全程测试专题" not in _titles("纹枯病")
    series = series.get_latest_revision_as_object()
    series.members.add(SeriesMember(lesson=added))
    with django_capture_on_commit_callbacks(execute=True):
        series.save_revision().publish()
    assert "水稻全程测试专题" in _titles("纹枯病")
