"""search.database: Wagtail's database search index (PostgreSQL's and SQLite's FTS)
weighing the rows it just wrote, not the whole index, after each page or import batch.
Runs on the suite's database, SQLite or PostgreSQL."""

import pytest
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from pioneer import compat
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


def test_the_database_backend_weighs_new_rows_only():
    index_class = get_search_backend("default").index_class
    assert issubclass(index_class, compat.WeighNewRowsMixin)


def test_a_new_page_is_weighed_without_scanning_the_index():
    """Its title's weight (average title length over its own) is set on its own rows,
    found by id; the whole index's rows are neither averaged again nor all updated."""
    make_lesson("第一课：蚕桑养殖基础")  # reads the average once in this process
    with CaptureQueriesContext(connection) as queries:
        page = make_lesson("第二课：蚕桑养殖进阶与病虫害防治")
    writes = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "title_norm" in q["sql"]
    ]
    assert writes and all('"object_id" IN' in sql for sql in writes)
    assert not [q["sql"] for q in queries if "AVG(" in q["sql"].upper()]
    average, _read_at = compat.WeighNewRowsMixin.average_read
    entries = IndexEntry.objects.filter(object_id=str(page.pk)).annotate(words=Length("title"))
    assert entries
    for entry in entries:  # the title's length in words: its lexemes
        assert entry.title_norm == pytest.approx(average / entry.words)
