"""Password guessing is cut short at every door that checks a password (the admin login,
Wagtail's front-end login, the password form of restricted pages, password reset) by one
policy with one set of counts: per client address and per account (or protected page).
Past a limit even the right password is refused, with a 429 in Chinese, and a limit
reached at one door closes the others for that account or address."""

import base64
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-Pass!"  # the admin_user fixture's ("boss")
PAGE_PASSWORD = "zhanwu-2026"
IP = "203.0.113.7"
OTHER_IP = "198.51.100.9"
ADMIN_LOGIN = "/admin/login/"
FRONT_LOGIN = "/zh-hans/_util/login/"
RESET = "/admin/password_reset/"


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


@pytest.fixture
def protected():
    """A lesson behind a page password, and one below it (the same password covers both)."""
    lesson = make_lesson("站务密码课程")
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    return {"lesson": lesson, "restriction": restriction}


def _login(client, path, username, password, ip=IP):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _page_password(client, protected, password, ip=IP, page=None):
    restriction = protected["restriction"]
    page = page or protected["lesson"]
    url = f"/zh-hans/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    return client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=ip)


def _assert_refused(response):
    assert response.status_code == 429
    text = response.content.decode()
    assert "分钟后再试" in text and '<html lang="zh-Hans">' in text
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert response["Cache-Control"] == "no-store"


def test_front_end_login_is_limited_like_the_admin(client, admin_user):
    """Where view-restricted pages send visitors: the same accounts, the same limit."""
    for attempt in range(5):
        assert _login(client, FRONT_LOGIN, "boss", f"guess-{attempt}").status_code == 200
    refused = _login(client, FRONT_LOGIN, "boss", PASSWORD)
    _assert_refused(refused)
    assert "登录失败次数过多" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Opening the form is not an attempt, and the English door is the same door.
    assert client.get(FRONT_LOGIN, REMOTE_ADDR=IP).status_code == 200
    assert _login(client, "/en/_util/login/", "boss", PASSWORD, ip=OTHER_IP).status_code == 429


def test_a_limit_reached_at_one_login_door_closes_the_other(client, admin_user):
    for attempt in range(5):
        assert _login(client, ADMIN_LOGIN, "boss", f"guess-{attempt}").status_code == 200
    _assert_refused(_login(client, FRONT_LOGIN, "boss", PASSWORD, ip=OTHER_IP))
    cache.clear()
    for attempt in range(5):
        assert _login(client, FRONT_LOGIN, "boss", f"guess-{attempt}").status_code == 200
    _assert_refused(_login(client, ADMIN_LOGIN, "boss", PASSWORD, ip=OTHER_IP))


def test_full_width_or_other_case_spellings_share_the_account_count(client, admin_user):
    """Django's login form reads ｂｏｓｓ as boss: a new spelling is not a new count."""
    for name in ("boss", "BOSS", "ｂｏｓｓ", " Boss ", "ＢＯＳＳ"):
        assert _login(client, FRONT_LOGIN, name, "wrong").status_code == 200
    _assert_refused(_login(client, ADMIN_LOGIN, "boss", PASSWORD, ip=OTHER_IP))


def test_page_password_is_limited_per_page_and_address(client, protected):
    for attempt in range(5):
        response = _page_password(client, protected, f"guess-{attempt}")
        assert response.status_code == 200  # the form again
    refused = _page_password(client, protected, PAGE_PASSWORD)
    _assert_refused(refused)
    assert "密码错误次数过多" in refused.content.decode()
    # The count is the page's, from any address...
    _assert_refused(_page_password(client, protected, PAGE_PASSWORD, ip=OTHER_IP))
    # ...and the visitor has not been let in.
    response = client.get(protected["lesson"].url, REMOTE_ADDR=IP)
    assert response.status_code == 200 and "站务密码课程" not in response.content.decode()


def test_right_page_password_works_below_the_limit(client, protected):
    assert _page_password(client, protected, "wrong").status_code == 200
    response = _page_password(client, protected, PAGE_PASSWORD)
    assert response.status_code == 302
    assert "站务密码课程" in client.get(protected["lesson"].url).content.decode()


def test_page_password_failures_close_the_logins_for_that_address(
    client, admin_user, protected, settings
):
    """One address count for every door: ten failures here, then a login is refused."""
    settings.RATE_LIMIT_LOGIN_USER = ""  # only the address counts in this test
    for attempt in range(10):
        assert _page_password(client, protected, f"guess-{attempt}").status_code == 200
    _assert_refused(_login(client, FRONT_LOGIN, "boss", PASSWORD))
    _assert_refused(_login(client, ADMIN_LOGIN, "boss", PASSWORD))
    assert _login(client, ADMIN_LOGIN, "boss", PASSWORD, ip=OTHER_IP).status_code == 302


def test_login_failures_close_the_page_password_for_that_address(client, admin_user, protected):
    for attempt in range(10):  # over several names: no account reaches its own limit
        assert _login(client, FRONT_LOGIN, f"nobody{attempt % 3}", "x").status_code == 200
    _assert_refused(_page_password(client, protected, PAGE_PASSWORD))
    assert _page_password(client, protected, PAGE_PASSWORD, ip=OTHER_IP).status_code == 302


def test_password_reset_is_limited_per_address_and_per_email(client, admin_user):
    for _ in range(5):
        response = client.post(RESET, {"email": "boss@example.org"}, REMOTE_ADDR=IP)
        assert response.status_code == 302
    assert len(mail.outbox) == 5
    refused = client.post(RESET, {"email": "BOSS@example.org"}, REMOTE_ADDR=OTHER_IP)
    _assert_refused(refused)
    assert len(mail.outbox) == 5  # nothing more was sent
    # The account those mails reach is limited at the logins too.
    _assert_refused(_login(client, ADMIN_LOGIN, "boss", PASSWORD, ip="192.0.2.44"))
    # An address past its count asks for no more resets, whatever the e-mail.
    for attempt in range(5):
        client.post(RESET, {"email": f"nobody{attempt}@example.org"}, REMOTE_ADDR=IP)
    _assert_refused(client.post(RESET, {"email": "someone@example.org"}, REMOTE_ADDR=IP))


def test_login_failures_close_password_reset_for_that_account(client, admin_user):
    for attempt in range(5):
        assert _login(client, ADMIN_LOGIN, "boss", f"guess-{attempt}").status_code == 200
    _assert_refused(client.post(RESET, {"email": "boss@example.org"}, REMOTE_ADDR=OTHER_IP))
    assert mail.outbox == []


def test_no_password_is_checked_past_a_limit_whatever_door_asks(rf, admin_user):
    """The guard in AUTHENTICATION_BACKENDS: a door nobody wrapped cannot go on guessing."""
    from django.contrib.auth import authenticate

    request = rf.post("/anywhere/", REMOTE_ADDR=IP)
    for attempt in range(5):
        assert authenticate(request, username="boss", password=f"guess-{attempt}") is None
    assert authenticate(request, username="boss", password=PASSWORD) is None
    other = rf.post("/anywhere/", REMOTE_ADDR=OTHER_IP)
    assert authenticate(other, username="boss", password=PASSWORD) is None  # the account
    assert authenticate(None, username="boss", password=PASSWORD) is None  # outside a request
    cache.clear()
    assert authenticate(other, username="boss", password=PASSWORD) == admin_user


def test_the_public_api_checks_no_passwords(client, admin_user):
    """HTTP Basic on the API would be a door without the login's limits: the API reads no
    credentials, so a right and a wrong password get the same public answer."""
    answers = []
    for password in ("wrong", PASSWORD):
        token = base64.b64encode(f"boss:{password}".encode()).decode()
        response = client.get("/api/v2/pages/?limit=1", HTTP_AUTHORIZATION=f"Basic {token}")
        answers.append((response.status_code, response.content))
    assert answers[0] == answers[1] and answers[0][0] == 200
