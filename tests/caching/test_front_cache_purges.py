"""What a change of who may see a page purges, as the PURGE requests the site sends
(through nginx itself: tests/caching/test_front_cache.py). A move purges the old address, its
offline pack and the old listings, as well as the new ones."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.support.factories import function_index, make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(settings):
    """The paths of the PURGE requests the site sends, to a listener of our own."""
    paths = []

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
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "pioneer.caching.front_cache.NginxPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield paths
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
