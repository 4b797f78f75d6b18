"""Listing pages at any depth cost about what the first page costs: pages past the middle
are read from the end of the order, deep pages from a bookmark kept for the content
generation, and the count once a generation; always the same pages as reading from the
start with an OFFSET."""

import datetime
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lessons.models import LessonPage
from pioneer.caching.generation import bump
from pioneer.core import pagination
from pioneer.core.pagination import paginate, rows
from pioneer.core.public import public_pages
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(db):
    # Dates repeat: the primary key decides between lessons of the same day.
    return [
        make_lesson(f"分页测试课{n}", date=datetime.date(2026, 1, 1 + n % 4)) for n in range(23)
    ]


def _page(number, queryset, per_page=4):
    return paginate(RequestFactory().get("/", {"page": number}), queryset, per_page)


def test_every_page_is_the_same_read_from_either_end(lessons):
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by("-date", "-pk")
    expected = Paginator(queryset, 4)
    for number in expected.page_range:
        page = _page(number, queryset)
        assert [p.pk for p in page.object_list] == [p.pk for p in expected.page(number)]
        assert page.number == number and page.has_next() == expected.page(number).has_next()
    with pytest.raises(Http404):
        _page(expected.num_pages + 1, queryset)


def test_the_last_page_is_read_without_skipping_the_list(lessons):
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by("-date", "-pk")
    with CaptureQueriesContext(connection) as queries:
        page = _page(6, queryset)
        list(page.object_list)
    offsets = [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]
    assert len(page.object_list) == 3 and max(offsets, default=0) == 0  # 23 = 5 × 4 + 3


def test_an_order_that_is_not_total_is_read_from_the_start(lessons):
    """Ties in the order could fall on either side of a page's edge: no reading back."""
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by("-date")
    with CaptureQueriesContext(connection) as queries:
        list(_page(6, queryset).object_list)
    assert any("OFFSET 20" in q["sql"] for q in queries)


def _bookmarks_every(monkeypatch, step):
    """Bookmarks from the first row on, as at 100,000 lessons past the first hundred pages."""
    monkeypatch.setattr(pagination, "DIRECT_ROWS", 0)
    monkeypatch.setattr(pagination, "STEP", step)


def _offsets(queries):
    return [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]


def test_every_page_is_the_same_read_from_a_bookmark(lessons, monkeypatch):
    _bookmarks_every(monkeypatch, 2)
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by("-date", "-pk")
    for per_page in (3, 4, 5):
        expected = Paginator(queryset, per_page)
        for number in expected.page_range:
            page = _page(number, queryset, per_page)
            assert [p.pk for p in page.object_list] == [p.pk for p in expected.page(number)]
    ascending = queryset.order_by("date", "pk")
    expected = Paginator(ascending, 4)
    for number in expected.page_range:
        assert [p.pk for p in _page(number, ascending)] == [p.pk for p in expected.page(number)]


def test_a_deep_page_is_one_query_without_a_deep_offset_once_the_bookmarks_are_kept(
    lessons, monkeypatch
):
    _bookmarks_every(monkeypatch, 2)
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by("-date", "-pk")
    list(_page(2, queryset).object_list)  # counts and reads the bookmarks
    with CaptureQueriesContext(connection) as queries:
        page = _page(3, queryset)
        list(page.object_list)
    assert len(queries) == 1 and max(_offsets(queries), default=0) < 2
    assert [p.pk for p in page.object_list] == [p.pk for p in Paginator(queryset, 4).page(3)]


def test_the_count_is_kept_until_the_content_changes(lessons):
    def listing():  # as each request builds it: the public rule's "now" is another time
        return (
            public_pages(LessonPage, locale=False)
            .filter(title__startswith="分页测试课")
            .order_by("-date", "-pk")
        )

    assert _page(1, listing()).paginator.count == 23
    with CaptureQueriesContext(connection) as queries:
        assert _page(1, listing()).paginator.count == 23
    assert not any("COUNT(" in q["sql"] for q in queries)
    make_lesson("分页测试课新", date=datetime.date(2026, 2, 1))
    bump()
    page = _page(1, listing())
    assert page.paginator.count == 24 and page.object_list[0].title == "分页测试课新"


def test_a_deep_page_of_an_order_with_empty_values_keeps_its_offset(lessons, monkeypatch):
    """NULLs sort first on one database and last on another: no bookmark past them."""
    _bookmarks_every(monkeypatch, 2)
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by(
        "-expire_at", "-pk"
    )
    expected = Paginator(queryset, 4)
    for number in expected.page_range:
        assert [p.pk for p in _page(number, queryset)] == [p.pk for p in expected.page(number)]


def test_any_slice_is_the_same_read_from_a_bookmark(lessons, monkeypatch):
    """The API's ``offset`` and ``limit`` fall anywhere, past the end too."""
    _bookmarks_every(monkeypatch, 3)
    queryset = LessonPage.objects.filter(title__startswith="分页测试课").order_by("-date", "-pk")
    everything = [p.pk for p in queryset]
    for start in range(0, 26):
        for stop in (start + 1, start + 4, start + 10):
            assert [p.pk for p in rows(queryset, start, stop, 23)] == everything[start:stop]
