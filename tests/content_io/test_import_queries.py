"""The importer's lookups by the index that finds them, not by a walk that grows with the
site: a batch's slugs among a parent's children, and its records already on the site.
SQLite's plans (the suite's SQLite tier): without statistics, SQLite walked a parent's
children by path for the first, and every page of the language for the second."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans"),
]


def _plans(tmp_path, count=200):  # a whole batch: the plan depends on how many
    rows = [
        {
            "id": f"Q-{n}",
            "type": "lesson",
            "title": f"查询计划课程{n}",
            "summary": "摘要。",
            "body": "正文。",
            "date": "2026-05-01",
            "category": "实用技术培训",
        }
        for n in range(count)
    ]
    path = tmp_path / "lessons.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    plans = {}
    for run in ("new", "again"):
        with CaptureQueriesContext(connection) as queries:
            call_command("import_content", str(path), stdout=io.StringIO())
        with connection.cursor() as cursor:
            for query in queries:
                sql = query["sql"]
                if sql.startswith("SELECT") and ('"slug" IN' in sql or '"source_id" IN' in sql):
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = " | ".join(row[-1] for row in cursor.fetchall())
                    plans.setdefault(run, []).append((sql, plan))
    return plans


def test_a_batchs_slugs_and_existing_records_are_found_by_their_indexes(tmp_path):
    plans = _plans(tmp_path)
    slug_plans = [plan for run in plans.values() for sql, plan in run if '"slug" IN' in sql]
    source_plans = [plan for run in plans.values() for sql, plan in run if '"source_id" IN' in sql]
    assert slug_plans and source_plans
    for plan in slug_plans:
        assert "wagtailcore_page_slug" in plan, plan
    for plan in source_plans:
        assert "source_id" in plan and "locale_id" not in plan, plan
