"""Two app servers behind two nginx fronts on loopback (``deploy/local/web app`` and
``front``, deploy/README.md "Scaling out"): each front keeps its own cache and both are
purged by a publish (FRONTEND_CACHE_PURGE_URLS); a front whose first app server is gone
answers from the other; a session, a rate limit's count and the content generation are
the same whichever front and app server a request reaches (all three live in Redis)."""

import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.support.live_site import (
    WEB,
    AdminSession,
    fetch,
    free_port,
    get,
    migrated_sqlite,
    shell,
)

pytestmark = pytest.mark.own_sqlite

SEED = """
import json
import os
from pioneer.demo.loader import build_site
from tests.support.factories import make_lesson
from django.contrib.auth.models import User
build_site()
lesson = make_lesson("两个前端的课程", slug="liangge-qianduan-kecheng")
User.objects.create_superuser("two-fronts", "two@example.com", "two-fronts-Pw-2026")
print(json.dumps({"url": lesson.url, "pk": lesson.pk}))
"""
SEARCHES = 6  # RATE_LIMIT_SEARCH for these servers: a minute's searches from one address

PUBLISH = """
from lessons.models import LessonPage
lesson = LessonPage.objects.get(pk=%d)
lesson.title = "两个前端的课程（新）"
lesson.save_revision().publish()
print("published")
"""


def _web(env, *args):
    subprocess.run([str(WEB), *args], env=env, check=True, timeout=600)


@pytest.fixture(scope="module")
def servers():
    workdir = Path(tempfile.mkdtemp(prefix="pioneer-two-fronts-"))
    apps = [free_port(), free_port()]
    fronts = [(free_port(), free_port()), (free_port(), free_port())]
    base = f"http://127.0.0.1:{fronts[0][0]}"
    env = dict(
        os.environ,
        WEB_HOME=str(workdir / "web"),
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SITE_URL=base,
        WAGTAILADMIN_BASE_URL=base,
        WEB_WORKERS="1",
        WEB_NGINX_WORKERS="1",
        RATE_LIMIT_SEARCH=f"{SEARCHES}/m",
        FRONTEND_CACHE_PURGE_URLS=",".join(f"http://127.0.0.1:{purge}" for _, purge in fronts),
    )
    for name in ("SEARCH_ENGINE_URL", "SEARCH_URL", "MEDIA_STORAGE", "CACHE_URL"):
        env.pop(name, None)
    env.pop("FRONTEND_CACHE_PURGE_URL", None)
    migrated_sqlite(workdir / "db.sqlite3", env)
    with ExitStack() as stopping:
        stopping.callback(shutil.rmtree, workdir, ignore_errors=True)
        for port in apps:
            stopping.callback(
                subprocess.run, [str(WEB), "app", "stop", "--port", str(port)], env=env
            )
            _web(env, "app", "start", "--port", str(port))
        upstreams = ",".join(f"127.0.0.1:{port}" for port in apps)
        for port, purge in fronts:
            stopping.callback(
                subprocess.run, [str(WEB), "front", "stop", "--port", str(port)], env=env
            )
            front_env = dict(env, PURGE_PORT=str(purge))
            _web(front_env, "front", "start", "--port", str(port), "--upstreams", upstreams)
        # Every process shares the app servers' Redis (the content generation lives there).
        env["CACHE_URL"] = f"redis://{workdir / 'web'}/run/redis.sock"
        site = {"env": env}
        info = json.loads(shell(site, SEED))
        yield {
            "site": site,
            "apps": apps,
            "fronts": [f"http://127.0.0.1:{port}" for port, _ in fronts],
            **info,
        }  # fmt: skip


def test_a_publish_purges_both_fronts(servers):
    url = servers["url"]
    for front in servers["fronts"]:
        fetch(front + url)
        status, body = fetch(front + url)
        assert status == "HIT" and "两个前端的课程" in body
    assert shell(servers["site"], PUBLISH % servers["pk"]) == "published"
    for front in servers["fronts"]:
        status, body = fetch(front + url)
        assert status in ("MISS", "EXPIRED"), (front, status)
        assert "两个前端的课程（新）" in body


def test_a_front_answers_from_the_other_app_server_when_one_is_gone(servers):
    env = servers["site"]["env"]
    first = servers["apps"][0]
    _web(env, "app", "stop", "--port", str(first))
    try:
        for front in servers["fronts"]:
            for _ in range(4):  # uncached: every request goes to an app server
                status, content_type, _body, _location = get(front + "/healthz")
                assert status == 200 and "json" in content_type, (front, status)
    finally:
        _web(env, "app", "start", "--port", str(first))


def test_a_session_made_through_one_front_is_valid_through_the_other(servers):
    first, second = servers["fronts"]
    editor = AdminSession(first, "two-fronts", "two-fronts-Pw-2026")
    for front in (first, second):
        with editor.opener.open(front + "/admin/", timeout=30) as response:
            assert response.status == 200, front  # not sent to the login form
            assert "/admin/logout/" in response.read().decode()


def test_a_rate_limit_counts_requests_through_both_fronts(servers):
    """Each search a different query (a cached answer never reaches an app server)."""
    first, second = servers["fronts"]
    statuses = []
    for n in range(SEARCHES + 1):
        front = first if n % 2 == 0 else second
        query = urllib.parse.urlencode({"q": f"限流测试{n}号"})
        status, _type, _body, _location = get(f"{front}/zh-hans/search/?{query}")
        statuses.append(status)
    assert statuses[:SEARCHES] == [200] * SEARCHES
    assert statuses[SEARCHES] == 429


def test_both_app_servers_name_the_same_content_generation(servers):
    """The page's ETag names the content generation: the same from either app server, so
    a front's revalidation is a 304 whichever server answers it."""
    tags = []
    for port in servers["apps"]:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{servers['url']}")
        with urllib.request.urlopen(request, timeout=30) as response:
            tags.append(response.headers.get("ETag"))
    assert tags[0] and tags[0] == tags[1]
    request = urllib.request.Request(
        f"http://127.0.0.1:{servers['apps'][1]}{servers['url']}",
        headers={"If-None-Match": tags[0]},
    )
    try:
        urllib.request.urlopen(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 304
