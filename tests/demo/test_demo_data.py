"""The demo as import files (site/data/demo/): the same content as the Python data
``load_demo`` still builds from, and records the importer accepts; its English catalogue
(en.po) covers the pages it names."""

import importlib.util
import json
from pathlib import Path

import polib
import pytest

from pioneer.content_io import Importer, Record

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "site" / "data" / "demo"
# Series records are not read by the importer yet (issue 19, "demo content as data").


def _read(name):
    with open(DEMO / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_the_data_files_hold_the_python_demo_data():
    spec = importlib.util.spec_from_file_location(
        "demo_to_data", ROOT / "bench" / "demo_to_data.py"
    )
    convert = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(convert)
    from django.utils import translation

    from pioneer.core.five_functions import Function
    from pioneer.core.regions import region_data

    with translation.override("zh-hans"):
        labels = {function.value: str(function.label) for function in Function}
    lessons, media = convert.lesson_records(labels)
    policies, originals = convert.policy_records(region_data())
    assert _read("lessons.jsonl") == lessons
    assert _read("news.jsonl") == convert.news_records()
    assert _read("policies.jsonl") == policies
    assert _read("media.jsonl") == [*media.values(), *originals.values()]


@pytest.mark.django_db
def test_the_importer_accepts_the_demo_records(tmp_path):
    for row in _read("media.jsonl"):  # what validation looks at: the files are there
        (tmp_path / row["file"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / row["file"]).write_bytes(b"")
    rows = [
        row
        for name in ("lessons.jsonl", "news.jsonl", "policies.jsonl")
        for row in _read(name)
        if row["type"] != "series"
    ]
    records = [Record(number, "", row) for number, row in enumerate(rows, start=1)]
    importer = Importer(media_dir=tmp_path)
    # The demo is loaded (conftest): its policies' document numbers are theirs already.
    bad = [
        (record.line, error)
        for record in importer.validate(records)
        for error in record.errors
        if "已被" not in error
    ]
    assert bad == []
    assert len(rows) == 44 + 26 + 16


def test_the_english_catalogue_is_complete_for_the_pages_it_names():
    po = polib.pofile(str(DEMO / "en.po"))
    assert po.percent_translated() == 100 and not po.obsolete_entries()
    pages = po.metadata["X-Translated-Pages"].split()
    slugs = {row["slug"] for name in ("lessons.jsonl", "policies.jsonl") for row in _read(name)}
    assert len(pages) == 8 and set(pages) <= slugs
    for row in _read("lessons.jsonl") + _read("policies.jsonl"):
        if row["slug"] in pages:
            assert row["title"] in {entry.msgid for entry in po}
