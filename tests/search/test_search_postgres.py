"""The database backend on PostgreSQL keeps our words as they are (runs on PostgreSQL only).

PostgreSQL's text search configuration decides what a stored word becomes. The server's
default (``english`` after a usual initdb) drops English stop words (it, can, the) and
stems again what pioneer.core.text.segmentation has already stemmed (cours → cour); the settings
choose ``simple``, which only lower-cases. Run with DATABASE_URL=postgres://… (CI does).
"""

import pytest
from django.db import connection
from wagtail.models import Locale, Page
from wagtail.search.models import IndexEntry

from pioneer.core.text import segmentation
from search import service
from tests.support.factories import make_lesson

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="runs when the suite runs on PostgreSQL"
    ),
]

TITLE = "IT 培训 online courses：农民学用电脑，水稻病虫害也能网上问"


def _lexemes(page, column):
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tsvector_to_array({column}) FROM {table} WHERE object_id = %s",
            [str(page.pk)],
        )
        rows = [set(row[0]) for row in cursor.fetchall()]
    assert rows, "the page was not indexed"
    return rows


def test_stored_title_words_are_exactly_our_words():
    page = make_lesson(TITLE)
    expected = set(segmentation.index_words(TITLE))
    assert {"it", "cours", "水稻", "病虫害", "虫害"} <= expected
    for lexemes in _lexemes(page, "title"):
        assert lexemes == expected


def test_an_english_stop_word_is_a_word_too():
    page = make_lesson(TITLE)
    assert page.pk in {p.pk for p in Page.objects.live().search("it", operator="and")}
    locale = Locale.objects.get(language_code="zh-hans")
    outcome = service.search("IT 培训", locale)
    assert outcome.hits and outcome.hits[0].page.pk == page.pk
    assert outcome.backend == "database"
