"""One-off: write the demo's Python data (lessons/, news/, home/demo_*) as import files.

Run: .venv/bin/python bench/demo_to_data.py   (writes site/data/demo/)

Writes the demo in the import format of ``manage.py import_content`` with the record
extension of README's "Bulk import and export" (slug, blocks with their files, an image
with its library title; series and policy relations, status and dates), the files the
demo's media are generated into (``media.jsonl``). Kept until ``load_demo`` reads these
files; ``tests/demo/test_demo_data.py`` checks they still match the Python data. (The English,
``en.po``, was written from home/demo_translations.py once; it is the source now.)
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "site" / "data" / "demo"


def _timed(items, minutes):
    """lessons/demo.py's ``_timed``: a video lesson's first outline as a timed transcript."""
    step = (minutes or 10) * 60 // max(len(items), 1)
    return [f"{i * step // 60:02d}:{i * step % 60:02d} {item}" for i, item in enumerate(items)]


def _issuing_region(issuer, regions):
    """news/demo.py's ``issuing_region`` on the region data file."""
    depth = {"county": 0, "city": 1, "province": 2}
    for region in sorted(regions, key=lambda r: depth[r["level"]]):
        if region["name"] in issuer:
            return region["slug"]
    return "zhejiang"


def lesson_records(function_labels):
    from lessons.demo_data import LESSONS, SERIES

    media = {}
    records = []
    for index, spec in enumerate(LESSONS):
        function = spec["function"]
        record = {
            "id": spec["slug"],
            "type": "lesson",
            "slug": spec["slug"],
            "title": spec["title"],
            "summary": spec["summary"],
            "category": function,
            "tags": spec.get("tags", []),
            "region": spec.get("region") or "",
            "producer": spec.get("producer", ""),
            "audience": spec.get("audience", ""),
            "duration_minutes": spec.get("duration_minutes"),
            "date": spec["date"],
        }
        cover = f"covers/{spec['slug']}.jpg"
        media[cover] = {"file": cover, "make": "cover", "palette": function, "seed": spec["slug"]}
        record["image"] = {"file": cover, "name": f"课程封面：{spec['title']}"}
        blocks, timed = [], False
        if spec.get("media") == "video":
            name = f"video/{function}.mp4"
            media[name] = {
                "file": name,
                "make": "video",
                "palette": function,
                "seed": f"v-{function}",
            }
            name_in_library = f"演示视频：{function_labels[function]}"
            blocks.append(
                {"type": "video", "file": name, "title": spec["title"], "name": name_in_library}
            )
            timed = True
        elif spec.get("media") == "audio":
            name = f"audio/{index % 4 + 1}.mp3"
            media[name] = {"file": name, "make": "audio", "seed": f"a-{index % 4}"}
            blocks.append(
                {
                    "type": "audio",
                    "file": name,
                    "title": spec["title"],
                    "name": f"演示音频 {index % 4 + 1}",
                }
            )
        for section in spec["sections"]:
            kind = section["type"]
            if kind == "paragraph":
                blocks.append({"type": "paragraph", "text": section["text"]})
            elif kind == "outline":
                items = section["items"]
                if timed:
                    items, timed = _timed(items, spec.get("duration_minutes")), False
                blocks.append({"type": "outline", "heading": section["heading"], "items": items})
            elif kind == "steps":
                blocks.append(
                    {"type": "steps", "title": section.get("title", ""), "steps": section["steps"]}
                )
            elif kind == "quote":
                blocks.append(
                    {"type": "quote", "text": section["text"], "source": section.get("source", "")}
                )
        handout = f"handouts/{spec['slug']}.pdf"
        media[handout] = {
            "file": handout,
            "make": "handout",
            "palette": function,
            "seed": spec["slug"],
        }
        blocks.append(
            {
                "type": "attachment",
                "file": handout,
                "title": "课程讲义（PDF）",
                "name": f"{spec['title']}（讲义）",
            }
        )
        record["blocks"] = blocks
        records.append(record)
    for spec in SERIES:
        records.append(
            {
                "id": spec["slug"],
                "type": "series",
                "slug": spec["slug"],
                "title": spec["title"],
                "summary": spec["summary"],
                "category": spec["function"],
                "lessons": spec["lessons"],
            }
        )
    return records, media


def news_records():
    from news.demo_data import NEWS

    return [
        {
            "id": spec["slug"],
            "type": "news",
            "slug": spec["slug"],
            "title": spec["title"],
            "summary": spec["summary"],
            "date": spec["date"],
            "region": spec["region"],
            "source": spec.get("source", ""),
            "tags": spec.get("tags", []),
            "body": "\n".join(spec["paragraphs"]),
        }
        for spec in NEWS
    ]


def policy_records(regions):
    from news.demo_data import POLICIES

    records, media = [], {}
    for spec in sorted(POLICIES, key=lambda s: s["issue_date"]):
        original = f"originals/{spec['slug']}.pdf"
        media[original] = {
            "file": original,
            "make": "handout",
            "palette": "news",
            "seed": spec["slug"],
        }
        records.append(
            {
                "id": spec["slug"],
                "type": "policy",
                "slug": spec["slug"],
                "title": spec["title"],
                "summary": spec.get("summary", ""),
                "doc_type": spec["doc_type"],
                "issuer": spec["issuer"],
                "region": _issuing_region(spec["issuer"], regions),
                "doc_number": spec.get("doc_number", ""),
                "date": spec["issue_date"],
                "effective_date": spec.get("effective_date") or "",
                "status": spec.get("status", "in_force"),
                "tags": spec.get("tags", []),
                "body": "\n".join(spec["paragraphs"]),
                "blocks": [
                    {
                        "type": "attachment",
                        "file": original,
                        "title": "文件原文（PDF）",
                        "name": f"{spec['title']}（原文）",
                    }
                ],
                "relations": [list(pair) for pair in spec.get("relations", [])],
                "change_note": spec.get("change_note", ""),
            }
        )
    return records, media


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.utils import translation

    from pioneer.core.five_functions import Function
    from pioneer.core.regions import region_data

    with translation.override("zh-hans"):
        labels = {function.value: str(function.label) for function in Function}
    lessons, media = lesson_records(labels)
    policies, originals = policy_records(region_data())
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (
        ("lessons.jsonl", lessons),
        ("news.jsonl", news_records()),
        ("policies.jsonl", policies),
        ("media.jsonl", [*media.values(), *originals.values()]),
    ):
        with open(OUT / name, "w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
