"""The admin's upload of a schedule file (导入节目单): a valid and a broken file, the options,
uploads that are not schedules (never a server error), and who may upload."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schedule.models import Slot
from tests.schedule import test_import
from tests.schedule.test_import import at, read, slot

pytestmark = pytest.mark.django_db

channels = test_import.channels  # the fixtures: two channels, a lesson
rice = test_import.rice

URL = "/admin/schedule/import/"


def upload(client, name, data, **options):
    fields = {"file": SimpleUploadedFile(name, data), **options}
    return client.post(URL, fields)


@pytest.fixture
def boss(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_page_and_its_menu_item(boss):
    assert reverse("schedule_import") == URL
    html = boss.get(URL).content.decode()
    assert "导入节目单" in html
    assert 'enctype="multipart/form-data"' in html
    assert "跳过有错误的行" in html and "只检查，不导入" in html
    assert "节目名称（<code>title</code>）" in html  # the columns, in both names
    assert f'"url": "{URL}"' in boss.get("/admin/").content.decode()  # the menu item


def test_a_valid_file_is_imported(boss, channels, rice):
    response = upload(boss, "week.xml", read("week.xml"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "导入结果" in html
    assert "新增 5 个，修改 0 个，未变 0 个，跳过 0 行" in html
    assert Slot.objects.count() == 5
    imported = slot(channels[0], at(7, 19, 30))
    revision = imported.latest_revision
    assert revision.user.username == "boss"  # the revision names who uploaded

    html = upload(boss, "week.xml", read("week.xml")).content.decode()
    assert "新增 0 个，修改 0 个，未变 5 个" in html


def test_a_gb18030_csv_is_imported(boss, channels, rice):
    data = read("week.csv").decode().encode("gb18030")
    html = upload(boss, "节目单.csv", data).content.decode()
    assert "编码：GB18030" in html and "新增 4 个" in html
    assert Slot.objects.count() == 4


def test_a_broken_file_lists_every_bad_line_and_imports_nothing(boss, channels, rice):
    response = upload(boss, "broken.csv", read("broken.csv"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "文件有错误，没有导入任何节目。" in html
    assert "10 处错误" in html
    for line in range(3, 13):
        assert f"<li>第 {line} 行：" in html
    assert "未知的频道“cctv99”" in html
    assert not Slot.objects.exists()


def test_skip_errors_and_dry_run(boss, channels, rice):
    html = upload(
        boss, "broken.xml", read("broken.xml"), skip_errors="on", dry_run="on"
    ).content.decode()
    assert "检查结果" in html and "只检查，没有写入。导入后将会：新增 2 个" in html
    assert not Slot.objects.exists()

    html = upload(boss, "broken.xml", read("broken.xml"), skip_errors="on").content.decode()
    assert "跳过了 7 行" in html and "新增 2 个，修改 0 个，未变 0 个，跳过 7 行" in html
    assert Slot.objects.count() == 2


def test_a_week_and_a_format_chosen(boss, channels, rice):
    html = upload(
        boss, "week.txt", read("week.csv"), week="2026-12-16", format="csv"
    ).content.decode()
    assert "不在节目单这一周（2026-12-14 至 2026-12-20）内" in html
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.csv", b"", "提交的是空文件"),
        ("week.exe", b"MZ\x90\x00", "请上传 .xml 或 .csv 文件"),
        ("noise.csv", bytes(range(256)) * 8, "文件"),
        ("big.csv", b"a" * (2 * 1024 * 1024 + 1), "文件不能超过 2 MB"),
        (
            "line.csv",
            b"channel,start,duration,title\n" + b"x" * 1_500_000,
            "第 2 行：这一行无法读取",
        ),
        ("bomb.xml", read("entities.xml"), "出于安全考虑拒绝读取"),
        ("week.xlsx.csv", b"PK\x03\x04" + b"\x00" * 100, "这是 Excel 工作簿"),
        ("half.xml", read("week.xml")[:700], "XML 格式错误"),
    ],
)
def test_uploads_that_are_not_schedules_are_refused_without_a_server_error(
    boss, channels, name, data, message
):
    response = upload(boss, name, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Slot.objects.exists()


def test_no_file(boss):
    response = boss.post(URL, {})
    assert response.status_code == 200
    assert "该字段是必填项" in response.content.decode()


def test_the_form_is_csrf_protected(admin_user, channels, rice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = upload(client, "week.xml", read("week.xml"))
    assert response.status_code == 403
    assert not Slot.objects.exists()


def editor(django_user_model, *permissions):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw-Secret-1")
    codenames = ["access_admin", *permissions]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_who_may_not_upload(client, django_user_model, channels, rice):
    client.force_login(editor(django_user_model))

    assert client.get(URL).status_code in (302, 403)
    response = upload(client, "week.xml", read("week.xml"))
    assert response.status_code in (302, 403)
    assert not Slot.objects.exists()
    assert f'"url": "{URL}"' not in client.get("/admin/").content.decode()


def test_an_editor_imports_only_into_channels_they_keep(client, django_user_model, channels):
    client.force_login(editor(django_user_model, "add_slot", "change_slot"))  # no office
    assert f'"url": "{URL}"' in client.get("/admin/").content.decode()

    html = upload(client, "week.xml", read("week.xml")).content.decode()
    assert "你所在的单位不维护频道“浙江远程教育频道”的节目单" in html
    assert not Slot.objects.exists()
