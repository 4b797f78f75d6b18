"""A search that finds nothing: its suggestions (each word alone, with how many pages have
it) cost no scan of the index per word when the search for any of the words already ran,
and are counted once per content generation otherwise."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from pioneer.caching import generation
from search import service
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


def _zh():
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def silk_lessons(db):
    return [make_lesson(f"蚕桑养殖测试课第{n}讲") for n in range(3)]


def test_no_word_is_counted_again_after_the_search_for_any_word(silk_lessons, monkeypatch):
    counted = []
    monkeypatch.setattr(service, "_count", lambda *args: counted.append(args) or 0)
    outcome = service.search("火箭发射 卫星测控", _zh())
    assert outcome.count == 0 and outcome.suggestions == []
    assert counted == []


def test_each_word_is_counted_once_a_generation(silk_lessons):
    queryset = Page.objects.live().filter(locale=_zh())
    names = service.search_backends()
    scope = (_zh().pk,)
    assert service.suggest(queryset, ["蚕桑", "火箭"], names, scope) == [("蚕桑", 3)]
    with CaptureQueriesContext(connection) as queries:
        again = service.suggest(queryset, ["蚕桑", "火箭"], names, scope)
    assert again == [("蚕桑", 3)] and len(queries) == 0

    make_lesson("蚕桑养殖测试课第四讲")  # a publish starts a new generation
    generation.bump()
    assert service.suggest(queryset, ["蚕桑", "火箭"], names, scope) == [("蚕桑", 4)]
