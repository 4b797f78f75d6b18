"""Queries per request of every public page type stay at most 12 and do not grow with the
number of lessons: the demo plus 5 imported lessons, then 200 more (bench/sql_queries.py
prints the same table at 100 and 10,000)."""

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from sql_queries import LIMIT, client, count_queries, page_urls  # noqa: E402

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def first_views():
    return {name: counts[1] for name, counts in count_queries(client(), page_urls()).items()}


def test_every_public_page_stays_within_12_queries_and_does_not_grow(tmp_path, settings):
    from django.core.management import call_command
    from import_rate import write_lessons

    settings.RATE_LIMIT_API = settings.RATE_LIMIT_SEARCH = ""

    def import_lessons(count):  # the same generated lessons, then more of them
        path = tmp_path / f"lessons-{count}.jsonl"
        write_lessons(path, count)
        call_command("import_content", str(path), stdout=io.StringIO())

    import_lessons(5)
    small = first_views()
    over = {name: count for name, count in small.items() if count > LIMIT}
    assert not over, f"more than {LIMIT} queries: {over}"

    import_lessons(205)
    large = first_views()
    assert large.keys() == small.keys()
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"queries grew with 200 more lessons: {grown}"
