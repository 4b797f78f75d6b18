"""Series (专题) records in the import format (README "Bulk import and export"): a
series names its lessons by their record ids, in order; it is matched by its address
on a re-import; bad input is a named error, never a crash."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from lessons.models import LessonSeriesPage

pytestmark = pytest.mark.django_db


def lesson(number):
    return {
        "id": f"S-L{number}",
        "type": "lesson",
        "title": f"专题测试课程{number}",
        "summary": "专题测试。",
        "body": "正文。",
        "category": "skills",
    }


SERIES = {
    "id": "S-1",
    "type": "series",
    "slug": "ceshi-zhuanti",
    "title": "测试专题",
    "summary": "三节课，按顺序学。",
    "category": "实用技术培训",
    "lessons": ["S-L2", "S-L1", "S-L3"],
}


def write(tmp_path, rows, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def run(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def series():
    return LessonSeriesPage.objects.get(locale__language_code="zh-hans", slug="ceshi-zhuanti")


def members(page):
    return [m.lesson.source_id for m in page.members.order_by("sort_order")]


def test_a_series_record_becomes_a_published_series_of_its_lessons_in_order(tmp_path):
    out, _ = run(write(tmp_path, [lesson(1), lesson(2), lesson(3), SERIES]))
    assert "新建 4" in out
    page = series()
    assert page.live and page.get_parent().slug == "shiyong-jishu"
    assert (page.title, page.summary) == ("测试专题", "三节课，按顺序学。")
    assert members(page) == ["S-L2", "S-L1", "S-L3"]
    assert page.live_revision is not None
    # As a page an editor adds: an alias in the synchronised English tree.
    alias = LessonSeriesPage.objects.get(locale__language_code="en", alias_of=page)
    assert alias.get_parent().slug == "shiyong-jishu" and members(alias) == members(page)


def test_reimporting_a_series_changes_nothing_and_a_new_order_is_a_new_revision(tmp_path):
    run(write(tmp_path, [lesson(1), lesson(2), lesson(3), SERIES]))
    revisions = Revision.objects.count()
    out, _ = run(write(tmp_path, [SERIES], "again.jsonl"))  # its lessons are on the site
    assert "未变 1" in out and Revision.objects.count() == revisions
    reordered = {**SERIES, "lessons": ["S-L3", "S-L2"]}
    out, _ = run(write(tmp_path, [reordered], "changed.jsonl"))
    assert "更新 1" in out and Revision.objects.count() == revisions + 1
    assert members(series()) == ["S-L3", "S-L2"]
    assert LessonSeriesPage.objects.filter(slug__startswith="ceshi-zhuanti").count() == 2  # + en


@pytest.mark.parametrize(
    "change, message",
    [
        ({"lessons": ["S-L1", "S-L9"]}, "专题中的课程 id“S-L9”不在本文件前面，也不在网站上"),
        ({"lessons": []}, "专题缺少课程（lessons）"),
        ({"lessons": "S-L1"}, "专题的 lessons 应为课程 id 的列表"),
        ({"lessons": ["S-L1", "S-L1"]}, "专题中的课程 id“S-L1”重复"),
        ({"category": "不存在"}, "未知的功能分类“不存在”"),
        ({"tags": ["水稻"]}, "专题没有话题（tags）"),
        (
            {"blocks": [{"type": "paragraph", "text": "一段"}]},
            "blocks 第 1 项的类型“paragraph”不可用",
        ),
    ],
)
def test_a_bad_series_record_is_named_and_nothing_is_imported(tmp_path, change, message):
    out, err = io.StringIO(), io.StringIO()
    path = write(tmp_path, [lesson(1), {**SERIES, **change}])
    with pytest.raises(CommandError):
        call_command("import_content", str(path), stdout=out, stderr=err)
    assert "第 2 行：" in err.getvalue() and message in err.getvalue()
    assert not LessonSeriesPage.objects.filter(slug="ceshi-zhuanti").exists()


def test_a_series_before_its_lessons_is_a_bad_line(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_content",
            str(write(tmp_path, [SERIES, lesson(1), lesson(2), lesson(3)])),
            stdout=out,
            stderr=err,
        )
    assert "第 1 行" in err.getvalue() and "“S-L2”不在本文件前面" in err.getvalue()


def test_the_admin_preview_counts_a_series_to_create_then_to_leave_alone(tmp_path):
    """The admin's 批量导入 preview (``Importer.plan``) reads series records too."""
    from pioneer.content_io import Importer, parse

    def plan(rows):
        text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
        records = parse(text, "data.jsonl")
        importer = Importer()
        assert importer.validate(records) == []
        return importer.plan(records)

    rows = [lesson(1), lesson(2), lesson(3), SERIES]
    counts = plan(rows)
    assert (counts["create"], counts["update"], counts["unchanged"]) == (4, 0, 0)
    run(write(tmp_path, rows))
    counts = plan(rows)
    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 0, 4)
    counts = plan([{**SERIES, "title": "新标题"}])
    assert counts["update"] == 1 and counts["updated"][0]["current_title"] == "测试专题"
