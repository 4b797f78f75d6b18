"""Media through nginx in production shape (``deploy/local/web``: gunicorn behind nginx,
local media): nginx sends documents, video and images itself, with byte ranges, and only
after the site's rule (pioneer.core.media_privacy) said who may have them."""

import json
import secrets
import urllib.error
import urllib.request

import pytest

from tests.support.live_site import AdminSession, get, live_site, shell

pytestmark = pytest.mark.browser

PASSWORD = "Media-test-pass-1"
VIDEO = bytes(range(256)) * 400  # 102,400 bytes, each position recognisable

SEED = """
import json
from django.contrib.auth import get_user_model
from pioneer.demo.loader import build_site
from tests.support.factories import make_document, make_image, make_lesson

def image(title):
    return make_image(title, colour=(40, 120, 200), name="pic.jpg")

build_site()
public_image, draft_image = image("公开图%(run)s"), image("草稿图%(run)s")
video = make_document("视频%(run)s", bytes(range(256)) * 400, name="lesson-%(run)s.mp4")
draft_doc = make_document("草稿附件%(run)s", b"%%PDF-1.4 draft", name="draft-%(run)s.pdf")
make_lesson("公开媒体课%(run)s", cover=public_image,
            body=[("video", {"file": video, "title": ""})])
make_lesson("草稿媒体课%(run)s", publish=False, cover=draft_image,
            body=[("attachment", {"document": draft_doc, "title": ""})])
get_user_model().objects.create_superuser("media-admin-%(run)s", "m@example.org", "%(pw)s")
print(json.dumps({
    "public_original": public_image.file.url,
    "public_rendition": public_image.get_rendition("fill-32x32").url,
    "draft_original": draft_image.file.url,
    "draft_rendition": draft_image.get_rendition("fill-32x32").url,
    "video": video.url,
    "draft_doc": draft_doc.url,
}))
"""


@pytest.fixture(scope="module")
def site():
    run = secrets.token_hex(3)
    with live_site() as live:
        info = json.loads(shell(live, SEED % {"run": run, "pw": PASSWORD}))
        yield {"base": live["base"], "admin": f"media-admin-{run}", **info}


def fetch(url, headers=None):
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        response = urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


def test_a_range_request_for_a_lessons_video_through_nginx(site):
    status, headers, body = fetch(site["base"] + site["video"], {"Range": "bytes=1000-1999"})
    assert status == 206
    assert body == VIDEO[1000:2000]
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert headers["Content-Type"] == "video/mp4"
    assert headers.get("Content-Encoding") is None
    assert "private" in headers["Cache-Control"]
    status, headers, body = fetch(site["base"] + site["video"])
    assert status == 200 and body == VIDEO
    assert headers["Accept-Ranges"] == "bytes"


def test_a_draft_lessons_image_and_file_are_refused_while_a_public_ones_load(site):
    base = site["base"]
    for name in ("draft_original", "draft_rendition"):
        status, _headers, body = fetch(base + site[name])
        assert status == 403 and not body.startswith(b"\xff\xd8"), name
    status, _type, _body, location = get(base + site["draft_doc"])
    assert status == 302 and "login" in location
    for name in ("public_original", "public_rendition"):
        status, headers, body = fetch(base + site[name])
        assert status == 200 and body[:2] == b"\xff\xd8", name
        assert headers["Cache-Control"] == "public, max-age=604800"
    # Asked again, the public picture's check comes from nginx's cache: still served, and
    # with the same caching for browsers.
    status, headers, _body = fetch(base + site["public_rendition"])
    assert status == 200 and headers["Cache-Control"] == "public, max-age=604800"


def test_an_editor_gets_the_draft_lessons_image_and_file(site):
    editor = AdminSession(site["base"], site["admin"], PASSWORD)
    for name in ("draft_original", "draft_rendition", "draft_doc"):
        with editor.opener.open(site["base"] + site[name], timeout=30) as response:
            assert response.status == 200, name
            assert "private" in response.headers["Cache-Control"]
