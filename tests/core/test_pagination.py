"""Listing pages past the middle are read from the end of the order: the same pages as
reading from the start, without an OFFSET that grows with the site."""

import datetime
import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lessons.models import LessonPage
from pioneer.core.pagination import paginate
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
