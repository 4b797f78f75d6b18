"""Media on a real S3-compatible object store (deploy/local/objectstore runs S3Proxy).

Storage settings are read once at start-up (Wagtail binds the rendition storage when its
models load), so these tests run in a pytest session of their own with MEDIA_STORAGE=s3
and the S3 variables set, as .ci/run does::

    deploy/local/objectstore start && eval "$(deploy/local/objectstore env)"
    .venv/bin/python -m pytest tests/test_object_storage.py

Without MEDIA_STORAGE=s3 they are skipped, unless ``REQUIRE_OBJECT_STORE=1`` makes that a
failure. Every file they read is fetched over HTTP from the store itself.
"""

import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from tests.factories import make_document, make_lesson

if os.environ.get("MEDIA_STORAGE") != "s3":
    if os.environ.get("REQUIRE_OBJECT_STORE") == "1":
        raise RuntimeError("REQUIRE_OBJECT_STORE=1 but MEDIA_STORAGE is not s3")
    pytestmark = pytest.mark.skip(
        reason="no object store: run with MEDIA_STORAGE=s3 and the variables "
        "`deploy/local/objectstore env` prints"
    )
else:
    pytestmark = pytest.mark.django_db

ENDPOINT = os.environ.get("S3_ENDPOINT_URL", "").rstrip("/")
BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url):
    """Anonymous GET straight to the store: (status, headers, body)."""
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def plain_url(name):
    """The object's unsigned, path-style URL: what someone guessing would try."""
    return f"{ENDPOINT}/{BUCKET}/{urllib.parse.quote(name)}"


def png(width=640, height=360):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return client


def upload_image(client, title):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("wagtailimages:add"),
        {"title": title, "file": SimpleUploadedFile("封面.png", png(), "image/png")},
    )
    assert response.status_code == 302, response.content[:2000]
    return get_image_model().objects.get(title=title)


def upload_document(client, title, content, name="讲义.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )
    assert response.status_code == 302, response.content[:2000]
    return get_document_model().objects.get(title=title)


def test_storage_is_the_object_store(client):
    from django.core.files.storage import storages

    assert type(storages["default"]).__name__ == "S3Storage"
    assert storages["renditions"].querystring_auth is False
    health = client.get("/healthz").json()["checks"]["storage"]
    assert health == {**health, "ok": True, "backend": "S3Storage"}


def test_uploaded_image_is_private_and_its_rendition_public(editor, client):
    image = upload_image(editor, "对象存储封面")
    # The original sits in the private bucket: the store has it, strangers get a 403.
    from django.core.files.storage import default_storage

    assert default_storage.exists(image.file.name)
    assert fetch(plain_url(image.file.name))[0] == 403

    lesson = make_lesson("对象存储课程", cover=image)
    client.logout()
    page = client.get(lesson.url)
    assert page.status_code == 200
    html = page.content.decode()
    urls = set(re.findall(re.escape(ENDPOINT) + r"/[^\s\"',]+", html))
    renditions = [url for url in urls if "/images/" in url]
    assert renditions, "no rendition URL on the object store in the page"
    for url in renditions:
        assert "X-Amz-" not in url and "Signature" not in url  # plain, cacheable URL
        status, headers, body = fetch(url.replace("&amp;", "&"))
        assert status == 200, url
        assert "max-age" in headers.get("Cache-Control", "")
        picture = PILImage.open(io.BytesIO(body))
        picture.verify()
        assert picture.format in {"WEBP", "JPEG", "PNG"}
    # og:image is the store's absolute URL, not glued to this site's host.
    assert re.search(r'og:image" content="' + re.escape(ENDPOINT) + "/", html)
    assert image.renditions.count() >= 1


def test_uploaded_document_downloads_through_wagtail(editor, client):
    content = b"%PDF-1.4\n" + os.urandom(200_000)
    document = upload_document(editor, "对象存储讲义", content)
    # Unused, the upload is the editors' (SECURITY.md); a public lesson makes it public.
    response = client.get(document.url)
    assert response.status_code == 302 and "X-Amz-Signature=" in response["Location"]
    client.logout()
    assert "login" in client.get(document.url)["Location"]
    make_lesson("对象存储讲义课程", body=[("attachment", {"document": document, "title": ""})])
    response = client.get(document.url)
    # Wagtail redirects to a URL of the private bucket signed for a while.
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(f"{ENDPOINT}/{BUCKET}/") and "X-Amz-Signature=" in target
    assert "no-store" in response["Cache-Control"]  # no shared cache keeps the signed link
    status, _headers, body = fetch(target)
    assert status == 200 and body == content
    # The same object without the signature is refused (S3Proxy answers 404 rather than
    # 403 for a non-ASCII key; the ASCII-named document below gets the 403).
    assert fetch(plain_url(document.file.name))[0] in {403, 404}


def test_document_of_a_restricted_page_is_not_downloadable_anonymously(client):
    content = b"%PDF-1.4 internal " + os.urandom(1000)
    document = make_document("站务内部讲义", content, name="internal.pdf")
    lesson = make_lesson("站务内部课程", body=[("attachment", {"document": document, "title": ""})])
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(document.url)
    assert response.status_code == 302 and ENDPOINT not in response["Location"]
    assert "login" in response["Location"]
    assert fetch(plain_url(document.file.name))[0] == 403

    user = get_user_model().objects.create_user("member", password="pw-Member-1")
    client.force_login(user)
    response = client.get(document.url)
    assert response.status_code == 302 and "X-Amz-Signature=" in response["Location"]
    status, _headers, body = fetch(response["Location"])
    assert status == 200 and body == content


def test_offline_packs_are_kept_private_and_replaced_on_the_store(client):
    """A pack is a private object (only the page's route serves it); publishing a change
    replaces it, and unpublishing deletes it from the store."""
    import zipfile

    from django.core.files.storage import default_storage

    from lessons import offline

    lesson = make_lesson("对象存储离线课")
    response = client.get(lesson.url + "offline/")
    assert response.status_code == 200
    first = lesson.offline_pack_key
    assert offline.stored_packs("lessonpage", lesson.pk) == [first]
    assert fetch(plain_url(first))[0] == 403
    assert default_storage.size(first) == lesson.offline_pack_size()

    lesson.summary = "对象存储上的新摘要"
    lesson.save_revision().publish()  # the refresh task runs (immediate backend in tests)
    lesson.refresh_from_db()
    current = type(lesson).objects.get(pk=lesson.pk).offline_pack_key
    assert offline.stored_packs("lessonpage", lesson.pk) == [current] != [first]
    content = b"".join(client.get(lesson.url + "offline/").streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert "对象存储上的新摘要" in archive.read("index.html").decode()

    lesson.unpublish()
    assert offline.stored_packs("lessonpage", lesson.pk) == []
