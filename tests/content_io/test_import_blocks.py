"""The import record's additive fields (README "Bulk import and export"): a page's own
slug, structured body blocks (text and files) and an image's library title, validated
like the other fields."""

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
        ({"blocks": [{"type": "embed"}]}, "blocks 第 1 项的类型“embed”不可用"),
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


def test_news_takes_no_lesson_blocks(tmp_path):
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
    assert "类型“steps”不可用（可用：paragraph、quote、attachment）" in err.getvalue()


def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), (46, 125, 50)).save(buffer, "PNG")
    return buffer.getvalue()


def run_with_media(path, media):
    out = io.StringIO()
    call_command("import_content", str(path), "--media-dir", str(media), stdout=out)
    return out.getvalue()


def test_file_blocks_keep_their_place_caption_and_library_title(tmp_path):
    """A video first, the text, then a hand-out: files where the record puts them, named in
    the library as the record says; a file two records name alike is stored once."""
    media = tmp_path / "media"
    media.mkdir()
    for name in ("lesson.mp4", "talk.mp3", "handout.pdf"):
        (media / name).write_bytes(b"bytes of " + name.encode())
    (media / "cover.png").write_bytes(_png())
    video = {"type": "video", "file": "lesson.mp4", "title": "莲藕高产栽培", "name": "演示视频"}
    handout = {"type": "attachment", "file": "handout.pdf", "title": "课程讲义（PDF）"}
    row = {
        **LESSON,
        "body": "",
        "image": {"file": "cover.png", "name": "课程封面：莲藕"},
        "blocks": [video, *LESSON["blocks"][:1], handout],
    }
    other = {**row, "id": "B-4", "slug": "ouyang-2", "blocks": [video]}
    path = write(tmp_path, [row, other])
    run_with_media(path, media)
    page = lesson()
    assert [block.block_type for block in page.body] == ["video", "outline", "attachment"]
    assert page.cover.title == "课程封面：莲藕"
    assert page.body[0].value["file"].title == "演示视频"
    assert page.body[0].value["poster"] == page.cover
    assert page.body[0].value["title"] == "莲藕高产栽培"
    assert page.body[2].value["document"].title == "B-1:handout.pdf"
    assert page.body[2].value["title"] == "课程讲义（PDF）"
    second = LessonPage.objects.get(locale__language_code="zh-hans", source_id="B-4")
    assert second.body[0].value["file"] == page.body[0].value["file"]
    assert "未变 2" in run_with_media(path, media)
    renamed = {**handout, "title": "讲义"}
    path = write(tmp_path, [{**row, "blocks": [video, *LESSON["blocks"][:1], renamed]}])
    assert "更新 1" in run_with_media(path, media)
    assert lesson().body[2].value["title"] == "讲义"


@pytest.mark.parametrize(
    "block, message",
    [
        ({"type": "video", "file": "talk.mp3"}, "的文件应为 m4v、mp4、webm"),
        ({"type": "audio", "file": "lesson.mp4"}, "（audio）的文件应为"),
        ({"type": "attachment", "file": "missing.pdf"}, "找不到文件“missing.pdf”"),
        ({"type": "attachment", "file": "../../etc/passwd"}, "找不到文件"),
        ({"type": "attachment", "title": "讲义"}, "缺少 file"),
    ],
)
def test_bad_file_blocks_are_named(tmp_path, block, message):
    media = tmp_path / "media"
    media.mkdir()
    for name in ("lesson.mp4", "talk.mp3"):
        (media / name).write_bytes(b"bytes")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_content",
            str(write(tmp_path, [{**LESSON, "blocks": [block]}])),
            "--media-dir",
            str(media),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 1 行" in err.getvalue() and message in err.getvalue()


POLICY = {
    "id": "B-5",
    "type": "policy",
    "title": "站点管理办法（修订）",
    "date": "2026-03-01",
    "issuer": "省远程教育办公室",
    "body": "全文。",
}


def test_a_policy_record_may_give_status_effective_date_and_change_note(tmp_path):
    from news.models import PolicyPage

    row = {**POLICY, "effective_date": "2026-04-01", "status": "已废止", "change_note": "首次发布"}
    path = write(tmp_path, [row])
    run(path)
    page = PolicyPage.objects.get(locale__language_code="zh-hans", source_id="B-5")
    assert page.effective_date.isoformat() == "2026-04-01"
    assert (page.status, page.change_note) == ("repealed", "首次发布")
    assert "未变 1" in run(path)[0]
    out, _ = run(write(tmp_path, [{**row, "status": "in_force", "change_note": "恢复施行"}]))
    assert "更新 1" in out
    page.refresh_from_db()
    assert (page.status, page.change_note) == ("in_force", "恢复施行")
    plain = {**POLICY, "id": "B-6"}  # without them: the model's defaults, as before
    run(write(tmp_path, [plain]))
    page = PolicyPage.objects.get(locale__language_code="zh-hans", source_id="B-6")
    assert (page.status, page.effective_date, page.change_note) == ("in_force", None, "")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"effective_date": "2026-13-01"}, "施行日期“2026-13-01”格式不正确"),
        ({"status": "作废"}, "未知的文件状态“作废”"),
        ({"change_note": "长" * 301}, "修订说明超过 300 个字符"),
    ],
)
def test_bad_policy_fields_are_named(tmp_path, change, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_content",
            str(write(tmp_path, [{**POLICY, **change}])),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 1 行" in err.getvalue() and message in err.getvalue()


def test_a_policy_record_names_the_documents_it_amends_or_repeals(tmp_path):
    """Relations to earlier records of the file (or pages on the site): kept on the page,
    its first revision and its English alias, as when an editor adds them."""
    from news.models import PolicyPage

    old = {**POLICY, "id": "R-1", "title": "站点管理办法"}
    new = {**POLICY, "id": "R-2", "relations": [["amends", "R-1"]]}
    path = write(tmp_path, [old, new])
    run(path)
    page = PolicyPage.objects.get(locale__language_code="zh-hans", source_id="R-2")
    target = PolicyPage.objects.get(locale__language_code="zh-hans", source_id="R-1")
    assert [(r.kind, r.target) for r in page.relations.all()] == [("amends", target)]
    revision = page.get_latest_revision_as_object()
    assert [(r.kind, r.target_id) for r in revision.relations.all()] == [("amends", target.pk)]
    alias = page.get_translation(_english())
    assert alias.alias_of_id == page.pk
    assert [(r.kind, r.target_id) for r in alias.specific.relations.all()] == [
        ("amends", target.pk)
    ]
    assert "未变 2" in run(path)[0]
    changed = {**new, "relations": [["repeals", "R-1"]]}
    assert "更新 1" in run(write(tmp_path, [old, changed]))[0]
    page.refresh_from_db()
    assert [r.kind for r in page.relations.all()] == ["repeals"]


def _english():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")


@pytest.mark.parametrize(
    "relations, message",
    [
        ("R-1", "relations 应为列表"),
        ([["amends"]], "relations 第 1 项应为 [关系, 文件 id]"),
        ([["cites", "R-1"]], "关系“cites”应为 amends 或 repeals"),
        ([["amends", "B-5"]], "指向文件自己"),
        ([["amends", "R-404"]], "关联文件 id“R-404”不在本文件前面，也不在网站上"),
    ],
)
def test_bad_relations_are_named(tmp_path, relations, message):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_content",
            str(write(tmp_path, [{**POLICY, "relations": relations}])),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "第 1 行" in err.getvalue() and message in err.getvalue()
