"""The demo as import files (site/data/demo/): records the importer accepts, the media
list ``load_demo`` generates their files from, and an English catalogue (en.po) that
covers the pages it names."""

import json
from pathlib import Path

import polib
import pytest

from pioneer.content_io import Importer, Record
from pioneer.demo.media import MediaListError, read_media_list

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "site" / "data" / "demo"


def _read(name):
    with open(DEMO / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.mark.demo
@pytest.mark.django_db
def test_the_importer_accepts_the_demo_records(tmp_path):
    for row in _read("media.jsonl"):  # what validation looks at: the files are there
        (tmp_path / row["file"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / row["file"]).write_bytes(b"")
    rows = [
        row for name in ("lessons.jsonl", "news.jsonl", "policies.jsonl") for row in _read(name)
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
    assert len(rows) == 50 + 2 + 26 + 16
    assert sum(row["type"] == "series" for row in rows) == 2


def test_the_media_list_names_each_file_once_and_how_to_make_it():
    rows = read_media_list(DEMO / "media.jsonl")
    files = [row["file"] for row in rows]
    assert len(files) == len(set(files)) == 125


def test_a_bad_media_list_line_is_named(tmp_path):
    listing = tmp_path / "media.jsonl"
    listing.write_text(
        '{"file": "a.jpg", "make": "cover", "seed": "x"}\n'
        '{"file": "b.gif", "make": "gif", "seed": "y"}\n',
        encoding="utf-8",
    )
    with pytest.raises(MediaListError, match="第 2 行：make 应为"):
        read_media_list(listing)
    listing.write_text('{"file": "../a.jpg", "make": "cover", "seed": "x"}\n', encoding="utf-8")
    with pytest.raises(MediaListError, match="第 1 行：file 应为相对路径"):
        read_media_list(listing)


def test_the_english_catalogue_is_complete_for_the_pages_it_names():
    po = polib.pofile(str(DEMO / "en.po"))
    assert po.percent_translated() == 100 and not po.obsolete_entries()
    pages = po.metadata["X-Translated-Pages"].split()
    slugs = {row["slug"] for name in ("lessons.jsonl", "policies.jsonl") for row in _read(name)}
    assert len(pages) == 8 and set(pages) <= slugs
    for row in _read("lessons.jsonl") + _read("policies.jsonl"):
        if row["slug"] in pages:
            assert row["title"] in {entry.msgid for entry in po}
