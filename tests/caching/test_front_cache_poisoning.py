"""Through the real nginx (``deploy/local/web``; the whole stack with ``FULL_STACK=1``):
a request nginx would cache but Django reads differently leaves nothing for others.
Cookies Django reads as the elder-mode, data-saver or session cookie however they are
spelt (a space or tab around the name, a no-break space, other case, repeated names) are
never cached for everyone, and a Host naming a port the site is not on never puts that
port into a cached feed, ``robots.txt`` or embed snippet. Each poisoned variant is sent
first, to an address nobody asked for yet; then a plain anonymous request must not get
what it made."""

import http.client
import json
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.support.live_site import AdminSession, live_site, shell

pytestmark = pytest.mark.browser

PASSWORD = "Poison-test-pass-1"

SEED = """
import json
from django.contrib.auth import get_user_model
from pioneer.demo.loader import build_site
from tests.support.factories import make_lesson
build_site()
get_user_model().objects.create_superuser("poison-editor", "editor@example.org", %r)
urls = [make_lesson("缓存投毒测试课%%d" %% n, slug="toudu-%%d-%s" %% n).url for n in range(%d)]
print(json.dumps(urls))
"""

# Cookie headers with the personal cookie's name as Django reads it but spelt otherwise,
# and what the page would show for everyone if nginx kept it.
ELDER = 'class="elder"'
SAVER = "退出省流量"
COOKIE_VARIANTS = [
    ("mode =elder", ELDER),
    ("mode\t=elder", ELDER),
    ("a=1;mode =elder", ELDER),
    # U+00A0 sent as UTF-8 (urllib writes headers as Latin-1, byte for byte).
    ("mode\u00c2\u00a0=elder", ELDER),
    ("Mode=elder; mode =elder", ELDER),
    ("saver =on", SAVER),
    ("x=1 ;\tsaver = on", SAVER),
]


@pytest.fixture(scope="module")
def site():
    run_id = secrets.token_hex(4)
    with live_site() as live:
        urls = json.loads(shell(live, SEED % (PASSWORD, run_id, len(COOKIE_VARIANTS) + 1)))
        yield {**live, "urls": urls}


def request(url, headers=None):
    """(status, X-Cache-Status, body); status None when nginx closed without answering."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as r:
            return r.status, r.headers.get("X-Cache-Status"), r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache-Status"), error.read().decode()
    except (urllib.error.URLError, http.client.RemoteDisconnected, ConnectionResetError):
        return None, None, ""


def test_cookie_spellings_django_reads_are_never_cached_for_everyone(site):
    for (cookie, marker), path in zip(COOKIE_VARIANTS, site["urls"], strict=False):
        url = site["base"] + path
        status, _cache, body = request(url, {"Cookie": cookie})
        assert status == 200 and marker in body, (cookie, "Django reads it", body[:300])
        status, cache, body = request(url)
        assert marker not in body, (cookie, "kept for everyone", cache)
        assert cache == "MISS", (cookie, cache)  # the variant's answer was not stored
        assert request(url)[1] == "HIT"  # anonymous pages are cached all the same


def test_an_editors_session_cookie_with_a_space_is_not_cached(site):
    """The editor's page carries the Wagtail user bar and admin links; logging in through
    nginx also shows the admin's CSRF origin check accepts the Host nginx passes on."""
    editor = AdminSession(site["base"], "poison-editor", PASSWORD)
    session = next(cookie.value for cookie in editor.jar if cookie.name == "sessionid")
    url = site["base"] + site["urls"][-1]
    status, _cache, body = request(url, {"Cookie": f"sessionid ={session}"})
    assert status == 200 and "wagtail-userbar" in body
    status, cache, body = request(url)
    assert "wagtail-userbar" not in body and "/admin/" not in body, cache
    assert cache == "MISS"


def test_a_host_naming_another_port_leaves_no_link_in_the_cache(site):
    base = site["base"]
    port = urlsplit(base).port
    hosts = ["localhost:6666", "127.0.0.1:6666", "127.0.0.1"]  # no port: 80, not ours
    paths = ["/feeds/zh-hans/news/rss.xml", "/robots.txt", "/zh-hans/embed/"]
    for path in paths:
        for host in hosts:
            status, _cache, body = request(base + path, {"Host": host})
            # Refused (nginx closes), or answered without keeping it.
            assert status is None or f"//{host}/" not in request(base + path)[2], (path, host)
        status, _cache, body = request(base + path)
        assert status == 200, path
        for host in hosts:
            assert f"//{host}/" not in body, (path, host, "kept for everyone")
        assert f"//127.0.0.1:{port}/" in body, path  # the links name the site itself
    # Another name, on an address not cached yet: Django refuses it (ALLOWED_HOSTS), and
    # nothing is kept either.
    feed = base + "/feeds/zh-hans/policies/rss.xml"
    status, _cache, _body = request(feed, {"Host": f"evil.example:{port}"})
    assert status in (None, 400)
    status, _cache, body = request(feed)
    assert status == 200 and "evil.example" not in body
