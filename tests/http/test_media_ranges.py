"""Audio, video and documents answer byte ranges without nginx (pioneer.http.files):
seeking in a lesson's video fetches only what is needed, and iPhones, which ask for
``bytes=0-1`` first, play it at all. Behind nginx: tests/http/test_media_nginx.py."""

import pytest
from django.test import override_settings

from pioneer.http.files import UNSATISFIABLE, parse_range
from tests.support.factories import VIDEO, make_document, make_lesson


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def video(db):
    document = make_document("区间测试视频", VIDEO, name="lesson-video.mp4")
    make_lesson("区间测试课程", body=[("video", {"file": document, "title": ""})])
    return document


@pytest.mark.parametrize(
    "header, expected",
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes = 5 - 9", (5, 9)),
        ("bytes=1000-", UNSATISFIABLE),
        ("bytes=-0", UNSATISFIABLE),
        ("bytes=9-5", None),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-9", None),
        ("bytes=abc", None),
        ("bytes=-", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


def test_a_range_request_for_a_lessons_video_gets_exactly_those_bytes(client, video):
    response = client.get(video.url, HTTP_RANGE="bytes=1000-1999")
    assert response.status_code == 206
    assert body(response) == VIDEO[1000:2000]
    assert response["Content-Range"] == f"bytes 1000-1999/{len(VIDEO)}"
    assert response["Content-Length"] == "1000"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert "Content-Encoding" not in response  # it used to say "None"

    first = client.get(video.url, HTTP_RANGE="bytes=0-1")  # what Safari asks first
    assert first.status_code == 206 and body(first) == VIDEO[:2]
    tail = client.get(video.url, HTTP_RANGE="bytes=-100")
    assert tail.status_code == 206 and body(tail) == VIDEO[-100:]


def test_the_whole_file_says_it_accepts_ranges(client, video):
    response = client.get(video.url)
    assert response.status_code == 200
    assert body(response) == VIDEO
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(VIDEO))
    assert "Content-Encoding" not in response
    assert response["ETag"] == f'"{video.file_hash}"'


def test_a_range_past_the_end_is_refused_with_the_size(client, video):
    response = client.get(video.url, HTTP_RANGE=f"bytes={len(VIDEO)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_if_range_naming_another_version_gets_the_whole_file(client, video):
    stale = client.get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"an-old-version"')
    assert stale.status_code == 200 and body(stale) == VIDEO
    same = client.get(video.url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{video.file_hash}"')
    assert same.status_code == 206 and body(same) == VIDEO[:10]


def test_a_revalidated_download_is_not_sent_again(client, video):
    response = client.get(video.url, HTTP_IF_NONE_MATCH=f'"{video.file_hash}"')
    assert response.status_code == 304


@pytest.mark.django_db
def test_a_refused_download_gets_no_bytes_even_with_a_range(client):
    document = make_document("无人使用的视频", VIDEO, name="unused.mp4")
    response = client.get(document.url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 302 and not body(response)


@override_settings(MEDIA_ACCEL_REDIRECT="/_media_files/")
def test_behind_nginx_the_site_hands_the_bytes_to_nginx(client, video):
    """nginx's internal location sends the file (with ranges) once the site said yes."""
    document = make_document("中文 名字", b"%PDF-1.4 x", name="课程 讲义.pdf")
    make_lesson("转交测试课程", body=[("attachment", {"document": document, "title": ""})])
    response = client.get(document.url, HTTP_RANGE="bytes=0-3")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith("/_media_files/documents/")
    assert response["X-Accel-Redirect"].isascii()  # percent-encoded: nginx decodes it
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response
