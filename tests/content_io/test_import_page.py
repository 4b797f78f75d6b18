"""The admin's import page: laid out like Wagtail's own forms, a sample file to start
from that imports cleanly, and a preview that names the pages to be created or changed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lessons.models import LessonPage
from news.models import NewsPage, PolicyPage
from pioneer.content_io.sample import SAMPLE_RECORDS
from tests.support.admin_text import untranslated

pytestmark = pytest.mark.django_db


def _upload(client, name, content, **options):
    data = {"file": SimpleUploadedFile(name, content)}
    data.update({key: "on" for key, value in options.items() if value})
    return client.post("/admin/import/", data, follow=True)


def test_import_form_is_laid_out_like_wagtails_forms(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/admin/import/").content.decode()
    form = html[html.index("<form") : html.index("</form>")]
    # Wagtail's field layout (label, then the input, then its help), no ASCII colons.
    assert form.count("data-field-wrapper") == 3
    labels = re.findall(r"<label[^>]*>(.*?)</label>", form, re.S)
    assert labels and not any(label.strip().endswith(":") for label in labels), labels
    checkboxes = {"draft": "导入为草稿，进入审核流程", "skip_invalid": "只导入没有错误"}
    for name, help_text in checkboxes.items():
        box = form.index(f'name="{name}"')
        assert form.index(help_text) > box  # the help follows its checkbox
        assert form.rindex("<label", 0, box) > form.rindex("</label>", 0, box)  # inside its label
    assert untranslated(html) == []


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_sample_file_imports_cleanly(client, admin_user, fmt):
    client.force_login(admin_user)
    page = client.get("/admin/import/").content.decode()
    link = "/admin/import/sample/" + ("?format=csv" if fmt == "csv" else "")
    assert f'href="{link}"' in page
    sample = client.get(link)
    assert sample.status_code == 200
    name = re.search(r'filename="([^"]+)"', sample["Content-Disposition"]).group(1)
    assert name.endswith(f".{fmt}")

    preview = _upload(client, name, sample.content)
    html = preview.content.decode()
    assert "行有错误" not in html and "将新建 3 条" in html
    # The preview names what will be created, and the file by its own name.
    for record in SAMPLE_RECORDS:
        assert record["title"] in html
    stem, extension = name.rsplit(".", 1)  # storage may add a suffix to a name in use
    assert re.search(rf"{stem}[^<（/]*\.{extension}（UTF-8）", html) and "imports/" not in html

    done = client.post(preview.redirect_chain[-1][0] + "confirm/", follow=True)
    assert "导入完成：新建 3" in done.content.decode()
    for model, record in zip((LessonPage, NewsPage, PolicyPage), SAMPLE_RECORDS, strict=True):
        assert model.objects.get(source_id=record["id"], locale__language_code="zh-hans").live


def test_preview_names_pages_to_be_changed_with_their_current_title(client, admin_user):
    client.force_login(admin_user)
    name, content = "sample.jsonl", client.get("/admin/import/sample/").content
    first = _upload(client, name, content)
    client.post(first.redirect_chain[-1][0] + "confirm/")
    changed = content.decode().replace("示例课程：茶园春季修剪要点", "示例课程：茶园春季修剪")
    html = _upload(client, name, changed.encode()).content.decode()
    assert "将更新 1 条" in html
    assert "示例课程：茶园春季修剪要点 → 示例课程：茶园春季修剪" in html
