"""What a change of who may see a page purges, as the PURGE requests the site sends
(through nginx itself: tests/caching/test_front_cache.py). A move purges the old address, its
offline pack and the old listings, as well as the new ones. With several nginx fronts
(FRONTEND_CACHE_PURGE_URLS), each gets every PURGE."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.factories import function_index, make_lesson

pytestmark = pytest.mark.django_db


ROOT = Path(__file__).resolve().parents[2]


def _listener(paths):
    """A PURGE server of our own noting the paths it is sent; its address."""

    class Cache(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            paths.append(self.path)
            self.send_response(404)  # what nginx's module answers for a key it does not hold
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Cache)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _backends(settings, locations):
    """WAGTAILFRONTENDCACHE as site/settings.py builds it from FRONTEND_CACHE_PURGE_URLS."""
    settings.WAGTAILFRONTENDCACHE = {
        ("nginx" if len(locations) == 1 else f"nginx-{number}"): {
            "BACKEND": "pioneer.caching.front_cache.NginxPurgeBackend",
            "LOCATION": location,
        }
        for number, location in enumerate(locations, 1)
    }


@pytest.fixture
def purged(settings):
    """The paths of the PURGE requests the site sends, to a listener of our own."""
    paths = []
    server, location = _listener(paths)
    _backends(settings, [location])
    yield paths
    server.shutdown()
    server.server_close()


@pytest.fixture
def fronts(settings):
    """Two fronts' PURGE servers: the paths each is sent."""
    first, second = [], []
    servers = [_listener(first), _listener(second)]
    _backends(settings, [location for _server, location in servers])
    yield first, second
    for server, _location in servers:
        server.shutdown()
        server.server_close()


def path(page):
    return urlsplit(page.full_url).path


def test_a_move_purges_the_old_address_its_pack_and_the_old_listing(
    purged, django_capture_on_commit_callbacks
):
    lesson = make_lesson("搬家课程", slug="banjia-kecheng")
    old_index, new_index = lesson.get_parent(), function_index("response")
    before = path(lesson)
    with django_capture_on_commit_callbacks(execute=True):
        lesson.move(new_index, pos="last-child")
    lesson.refresh_from_db()
    after = path(lesson)
    assert before != after
    for gone in (before, before + "offline/", path(old_index), after, after + "offline/"):
        assert gone in purged, gone
    assert path(new_index) in purged


def test_a_restriction_purges_the_page_its_pack_and_its_series(
    purged, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    from lessons.models import LessonSeriesPage, SeriesMember

    lesson = make_lesson("加密课程", slug="jiami-kecheng")
    series = lesson.get_parent().add_child(
        instance=LessonSeriesPage(title="加密专题", summary="专题", slug="jiami-zhuanti")
    )
    series.save_revision().publish()
    SeriesMember.objects.create(series=series, lesson=lesson, sort_order=0)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=lesson, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    for gone in (path(lesson), path(lesson) + "offline/", path(series), path(series) + "offline/"):
        assert gone in purged, gone


def test_a_publish_purges_every_front(fronts):
    first, second = fronts
    lesson = make_lesson("两个前端的课程", slug="liangge-qianduan")
    for purged_here in (first, second):
        for gone in (path(lesson), path(lesson.get_parent())):
            assert gone in purged_here, gone
    assert sorted(first) == sorted(second)


PROBE = """
import json
from django.conf import settings as s
print(json.dumps(getattr(s, "WAGTAILFRONTENDCACHE", {})))
"""


def _purge_settings(**variables):
    """WAGTAILFRONTENDCACHE in a fresh process with these variables (and no others of the
    front cache)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTEND_CACHE_PURGE_URL")}
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def _locations(result):
    assert result.returncode == 0, result.stderr
    return {name: each["LOCATION"] for name, each in json.loads(result.stdout).items()}


def test_the_purge_urls_give_one_backend_a_front():
    assert _locations(_purge_settings()) == {}
    assert _locations(_purge_settings(FRONTEND_CACHE_PURGE_URL="http://127.0.0.1:8081")) == {
        "nginx": "http://127.0.0.1:8081"
    }
    several = _purge_settings(
        FRONTEND_CACHE_PURGE_URLS="http://10.0.0.1:8081, http://10.0.0.2:8081/",
        FRONTEND_CACHE_PURGE_URL="http://10.0.0.1:8081",  # the one-front name: listed once
    )
    assert _locations(several) == {
        "nginx-1": "http://10.0.0.1:8081",
        "nginx-2": "http://10.0.0.2:8081",
    }


def test_a_purge_url_that_is_no_address_stops_the_start():
    result = _purge_settings(FRONTEND_CACHE_PURGE_URLS="http://10.0.0.1:8081,10.0.0.2:8081")
    assert result.returncode != 0
    assert "FRONTEND_CACHE_PURGE_URLS" in result.stderr and "10.0.0.2:8081" in result.stderr
