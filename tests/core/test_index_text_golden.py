"""What the search indexes and queries for a fixed corpus (demo titles, summaries and
document numbers, and every hostile input) is recorded in index_text_golden.json; moving
or refactoring the text modules must leave every output byte-identical.

Regenerate only for an intended change: ``python -m tests.core.test_index_text_golden``.
"""

import hashlib
import json
from pathlib import Path

import pytest

GOLDEN = Path(__file__).with_name("index_text_golden.json")
LONG = 200  # outputs of longer inputs are recorded as a digest, to keep the file readable


def demo_records():
    """The demo's lessons, series, news and policies (site/data/demo/)."""
    demo = Path(__file__).resolve().parents[2] / "site" / "data" / "demo"
    for name in ("lessons.jsonl", "news.jsonl", "policies.jsonl"):
        with open(demo / name, encoding="utf-8") as handle:
            yield from (json.loads(line) for line in handle if line.strip())


def corpus():
    from tests.support.hostile_corpus import CORPUS

    texts = []
    for item in demo_records():
        texts += [item["title"], item.get("summary") or "", item.get("doc_number") or ""]
    texts += [str(text) for text in CORPUS]
    texts += ["sdzz", "水稻种植", "远教 站点", "电商直播带货", "stations", "浙组通2023年12号"]
    unique = []
    for text in texts:
        if text not in unique:
            unique.append(text)
    return unique


def outputs(text):
    from pioneer.core.text import docnumbers, segmentation
    from pioneer.core.text.pinyin import pinyin_slug

    found = {
        "index_text": segmentation.index_text(text),
        "index_text_whole": segmentation.index_text(text, segment=False),
        "query_words": segmentation.query_words(text),
        "pinyin_initials": segmentation.pinyin_initials(text),
        "looks_like_pinyin_initials": segmentation.looks_like_pinyin_initials(text),
        "doc_number": docnumbers.normalise(text),
        "pinyin_slug": pinyin_slug(text),
    }
    if len(text) > LONG:
        return hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest()
    return found


def _key(text):
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def record():
    return {_key(text): {"text": text[:LONG], "out": outputs(text)} for text in corpus()}


def test_corpus_is_the_recorded_one():
    assert sorted(_key(text) for text in corpus()) == sorted(json.loads(GOLDEN.read_text()))


@pytest.mark.parametrize("text", corpus(), ids=_key)
def test_outputs_unchanged(text):
    assert outputs(text) == json.loads(GOLDEN.read_text())[_key(text)]["out"]


if __name__ == "__main__":
    import django

    django.setup()
    lines = [
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}"
        for key, value in sorted(record().items())
    ]
    GOLDEN.write_text("{\n" + ",\n".join(lines) + "\n}\n")
