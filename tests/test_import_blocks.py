"""The import record's additive fields (README "Bulk import and export"): a page's own
slug and structured body blocks, validated like the other fields."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from lessons.models import LessonPage
from news.models import NewsPage

pytestmark = pytest.mark.django_db

LESSON = {
    "id": "B-1",
    "type": "lesson",
    "slug": "ouyang-zaipei",
    "title": "莲藕高产栽培",
    "summary": "莲藕种植要点。",
    "body": "第一段。",
    "date": "2026-05-01",
    "region": "湖州",
    "category": "实用技术培训",
    "blocks": [
        {"type": "outline", "heading": "要点", "items": ["选种", "施肥 <早>"]},
        {"type": "steps", "title": "种植", "steps": ["整地。", "下种。"]},
        {"type": "quote", "text": "今年收成好。", "source": "一位种植户"},
        {"type": "paragraph", "text": "最后一段。"},
    ],
}


def write(tmp_path, rows):
    path = tmp_path / "data.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def lesson():
    return LessonPage.objects.get(locale__language_code="zh-hans", source_id="B-1")


def test_a_record_gives_its_page_slug_and_structured_blocks(tmp_path):
    run(write(tmp_path, [LESSON]))
    page = lesson()
    assert page.slug == "ouyang-zaipei"
    assert [block.block_type for block in page.body] == [
        "paragraph", "outline", "steps", "quote", "paragraph",
    ]  # fmt: skip
    outline, steps, quote = page.body[1].value, page.body[2].value, page.body[3].value
    assert outline["heading"] == "要点"
    assert outline["text"].source == "<ul><li>选种</li><li>施肥 &lt;早&gt;</li></ul>"
    assert steps["title"] == "种植" and [s["text"] for s in steps["steps"]] == ["整地。", "下种。"]
    assert (quote["text"], quote["source"]) == ("今年收成好。", "一位种植户")


def test_importing_blocks_twice_changes_nothing_and_a_changed_block_updates(tmp_path):
    path = write(tmp_path, [LESSON])
    run(path)
    revisions = Revision.objects.count()
    out, _ = run(path)
    assert "未变 1" in out and Revision.objects.count() == revisions
    changed = {**LESSON, "blocks": [{**LESSON["blocks"][0], "items": ["选种"]}]}
    out, _ = run(write(tmp_path, [changed]))
    assert "更新 1" in out
    assert [block.block_type for block in lesson().body] == ["paragraph", "outline"]


def test_a_record_without_blocks_ignores_an_editors_structured_blocks(tmp_path):
    """Records written before ``blocks`` existed compare as before: paragraphs and files."""
    record = {key: value for key, value in LESSON.items() if key != "blocks"}
    path = write(tmp_path, [record])
    run(path)
    page = lesson()
    page.body.append(("quote", {"text": "编辑加的引文。", "source": ""}))
    page.save_revision().publish()
    out, _ = run(path)
    assert "未变 1" in out


@pytest.mark.parametrize(
    "change, message",
    [
        ({"slug": "Bad Slug"}, "网址名“Bad Slug”"),
        ({"slug": "a" * 71}, "最长 70 个字符"),
        ({"blocks": "段落"}, "blocks 应为列表"),
        ({"blocks": ["段落"]}, "blocks 第 1 项应为对象"),
        ({"blocks": [{"type": "video"}]}, "blocks 第 1 项的类型“video”不可用"),
        ({"blocks": [{"type": "outline", "heading": "要点", "items": "选种"}]}, "应为文字列表"),
        ({"blocks": [{"type": "outline", "heading": "", "items": ["选种"]}]}, "缺少 heading"),
        ({"blocks": [{"type": "quote", "text": 3}]}, "text 应为文字"),
        ({"blocks": [{"type": "steps", "steps": []}]}, "缺少 steps"),
    ],
)
def test_bad_slugs_and_blocks_are_named_and_nothing_is_imported(tmp_path, change, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_content",
            str(write(tmp_path, [{**LESSON, **change}])),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 1 行" in err.getvalue() and message in err.getvalue()
    assert not LessonPage.objects.filter(source_id="B-1").exists()


def test_news_takes_paragraph_and_quote_blocks_only(tmp_path):
    news = {
        "id": "B-2",
        "type": "news",
        "title": "站点培训",
        "date": "2026-06-01",
        "region": "taizhou",
        "blocks": [{"type": "quote", "text": "很有用。"}],
    }
    run(write(tmp_path, [news]))
    page = NewsPage.objects.get(locale__language_code="zh-hans", source_id="B-2")
    assert [block.block_type for block in page.body] == ["quote"]
    err = io.StringIO()
    bad = {**news, "id": "B-3", "blocks": [{"type": "steps", "steps": ["一"]}]}
    with pytest.raises(CommandError):
        call_command(
            "import_content", str(write(tmp_path, [bad])), stdout=io.StringIO(), stderr=err
        )
    assert "类型“steps”不可用（可用：paragraph、quote）" in err.getvalue()
