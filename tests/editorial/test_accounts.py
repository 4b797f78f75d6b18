"""Accounts for the offices: one command puts a person in an office's group and mails a
Chinese invitation whose link sets their password; the demo has one account per role
along one review chain."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def invite(**options):
    out = io.StringIO()
    call_command("invite_user", stdout=out, **options)
    return out.getvalue()


def test_invitation_makes_an_office_editor_who_sets_a_password(
    client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = invite(name="王小梅", email="wxm@example.org", office="淳安县", role="editor")
    assert "淳安县编辑" in output
    user = get_user_model().objects.get(email="wxm@example.org")
    assert [group.name for group in user.groups.all()] == ["淳安县编辑"]
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wxm@example.org"] and "设置" in message.subject
    assert "王小梅" in message.body and "淳安县编辑" in message.body
    link = re.search(r"https?://\S+/admin/password_reset/\S+", message.body).group(0)
    assert link.startswith(settings.WAGTAILADMIN_BASE_URL)
    form_url = client.get(urlsplit(link).path).url  # the token moves to the session
    answer = client.post(
        form_url, {"new_password1": "Qiandao-Hu-2026", "new_password2": "Qiandao-Hu-2026"}
    )
    assert answer.status_code == 302
    assert client.login(username="wxm@example.org", password="Qiandao-Hu-2026")
    assert client.get("/admin/").status_code == 200


def test_province_approver_by_code_and_role_in_chinese(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(name="省审批", email="sp@example.org", office="330000", role="审批")
    user = get_user_model().objects.get(email="sp@example.org")
    assert list(user.groups.values_list("name", flat=True)) == ["浙江省审核"]


@pytest.mark.parametrize(
    "office,role,message",
    [("亚特兰蒂斯", "editor", "未知的地区"), ("tonglu", "boss", "未知的角色")],
)
def test_bad_office_or_role_is_one_clear_line(office, role, message):
    with pytest.raises(CommandError, match=message):
        invite(name="某人", email="x@example.org", office=office, role=role)
    assert not get_user_model().objects.filter(email="x@example.org").exists()


def test_demo_accounts_walk_one_chain(settings, tmp_path, client):
    settings.VAR_DIR, settings.DEBUG = tmp_path, True  # development only
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    lines = out.getvalue().splitlines()
    groups = ["桐庐县编辑", "桐庐县审核", "杭州市审核", "浙江省审核"]
    assert [line.split("（")[0].strip() for line in lines] == groups
    for line in lines:
        username, password = re.search(r"用户名 (\S+)  密码 (\S+)", line).groups()
        assert client.login(username=username, password=password)
    again = io.StringIO()
    call_command("demo_accounts", stdout=again)
    assert again.getvalue() == out.getvalue()  # same accounts, same passwords
