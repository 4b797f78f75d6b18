"""Password guessing against the admin login is cut short, per client IP and per user."""

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "s3cret-Pass!"  # the admin_user fixture's


@pytest.fixture(autouse=True)
def _fresh_counts(monkeypatch):
    """Empty counts, and one window for the whole test: django-ratelimit counts in fixed
    windows, and a slow test crossing a window's end would see its counts start again."""
    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_defaults():
    from django.conf import settings

    assert settings.RATE_LIMIT_LOGIN_IP == "10/15m"
    assert settings.RATE_LIMIT_LOGIN_USER == "5/15m"


def test_wrong_passwords_then_even_the_right_one_gets_429(client, admin_user):
    for attempt in range(5):
        response = _login(client, "boss", f"guess-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
    refused = _login(client, "boss", PASSWORD)
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "登录失败次数过多" in text and "分钟后再试" in text
    assert 1 <= int(refused["Retry-After"]) <= 15 * 60
    assert refused["Cache-Control"] == "no-store"
    assert "_auth_user_id" not in client.session  # not logged in
    # The username is locked from everywhere, case aside: another IP is refused too.
    assert _login(client, "BOSS", PASSWORD, ip="198.51.100.9").status_code == 429
    # Opening the form is not an attempt.
    assert client.get(LOGIN, REMOTE_ADDR="203.0.113.7").status_code == 200


def test_per_ip_limit_spares_other_ips_and_users_below_it(client, admin_user):
    User = get_user_model()
    User.objects.create_user("clerk", "clerk@example.org", "Clerk-Pass-42", is_superuser=True)
    # 9 failures from one IP over several usernames (none reaches its own limit of 5)...
    for attempt in range(9):
        assert _login(client, f"nobody{attempt % 3}", "x").status_code == 200
    # ...and a real user on the same IP still logs in: below the IP limit of 10.
    ok = _login(client, "clerk", "Clerk-Pass-42")
    assert ok.status_code == 302
    client.logout()
    assert _login(client, "nobody9", "x").status_code == 200  # the 10th failure
    assert _login(client, "boss", PASSWORD).status_code == 429  # that IP is now locked
    # Another IP is unaffected, and a successful login there works.
    response = _login(client, "boss", PASSWORD, ip="198.51.100.9")
    assert response.status_code == 302 and response.url.startswith("/admin/")


def test_successes_do_not_count(client, admin_user):
    for _ in range(12):
        assert _login(client, "boss", PASSWORD).status_code == 302
        client.logout()


def test_limits_follow_the_settings(client, admin_user, settings):
    settings.RATE_LIMIT_LOGIN_USER = "2/15m"
    assert [_login(client, "boss", "x").status_code for _ in range(3)] == [200, 200, 429]
    settings.RATE_LIMIT_LOGIN_USER = ""
    settings.RATE_LIMIT_LOGIN_IP = ""  # both off
    assert _login(client, "boss", PASSWORD).status_code == 302


def test_english_admin_gets_the_message_in_english(client, admin_user, settings):
    settings.RATE_LIMIT_LOGIN_USER = "1/15m"
    _login(client, "boss", "x")
    refused = client.post(
        LOGIN,
        {"username": "boss", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 429
    assert "Too many failed" in refused.content.decode()


def test_limits_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(RATE_LIMIT_LOGIN_IP="30/h", RATE_LIMIT_LOGIN_USER="3/10m")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; "
            "print(s.RATE_LIMIT_LOGIN_IP, s.RATE_LIMIT_LOGIN_USER)",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["30/h", "3/10m"]
