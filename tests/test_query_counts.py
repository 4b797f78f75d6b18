"""Queries per request of every public page type stay at most 12 and do not grow with the
number of lessons (bench/sql_queries.py prints the same table at 100 and 10,000)."""

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from sql_queries import LIMIT, client, count_queries, page_urls  # noqa: E402

pytestmark = pytest.mark.django_db


def first_views():
    web = client()
    return {name: count_queries(web, url)[1] for name, url in page_urls()}


def test_every_public_page_stays_within_12_queries_and_does_not_grow(tmp_path, settings):
    from django.core.management import call_command
    from import_rate import write_lessons

    settings.RATE_LIMIT_API = settings.RATE_LIMIT_SEARCH = ""
    small = first_views()
    over = {name: count for name, count in small.items() if count > LIMIT}
    assert not over, f"more than {LIMIT} queries: {over}"

    path = tmp_path / "lessons.jsonl"
    write_lessons(path, 200)
    call_command("import_content", str(path), stdout=io.StringIO())
    large = first_views()
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"queries grew with 200 more lessons: {grown}"
