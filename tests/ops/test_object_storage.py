"""Media on a real S3-compatible object store (deploy/local/objectstore runs S3Proxy).

Storage settings are read once at start-up (Wagtail binds the rendition storage when its
models load), so these tests run in a pytest session of their own with MEDIA_STORAGE=s3
and the S3 variables set, as .ci/run does::

    deploy/local/objectstore start && eval "$(deploy/local/objectstore env)"
    .venv/bin/python -m pytest tests/ops/test_object_storage.py

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

from tests.support.factories import make_document, make_lesson

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

    assert type(storages["default"]).__name__ == "ConfiguredS3Storage"
    assert storages["renditions"].querystring_auth is True  # private objects, signed URLs
    health = client.get("/healthz").json()["checks"]["storage"]
    assert health == {**health, "ok": True, "backend": "ConfiguredS3Storage"}


def open_picture(client, url):
    """What ``client`` gets for a picture's URL as a page shows it: the store's answer for a
    URL on the store; for one on this site, the site's, following its redirect to the
    store. (status, headers of the last answer, body, the site's Cache-Control or None)."""
    url = url.replace("&amp;", "&")
    if url.startswith(ENDPOINT):
        return (*fetch(url), None)
    response = client.get(url)
    if response.status_code != 302 or not response["Location"].startswith(ENDPOINT):
        return response.status_code, response.headers, response.content, None
    return (*fetch(response["Location"]), response["Cache-Control"])


def is_picture(body):
    try:
        return PILImage.open(io.BytesIO(body)).format in {"WEBP", "JPEG", "PNG"}
    except Exception:
        return False


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
    # Pictures link the site, which checks and redirects to the store (SECURITY.md).
    renditions = set(re.findall(r'(?:src|srcset)="(/media/images/[^"\s,]+)', html))
    assert renditions, "no rendition URL in the page"
    assert ENDPOINT not in html
    for url in renditions:
        status, headers, body, site_cache = open_picture(client, url)
        assert status == 200, url
        assert site_cache.startswith("public, max-age=")  # browsers, nginx, a CDN keep it
        assert "max-age" in headers.get("Cache-Control", "")
        assert is_picture(body)
    # og:image is an absolute URL of this site, on its public address (SITE_URL).
    from django.conf import settings

    assert f'og:image" content="{settings.SITE_URL}/media/images/' in html
    assert image.renditions.count() >= 1


def test_deleting_an_image_or_a_document_in_the_admin_removes_its_objects(
    editor, django_capture_on_commit_callbacks
):
    """Wagtail deletes the files through a task carrying the storage's options: on S3 they
    used to hold a client configuration object that no task could carry (a 500 on delete,
    the objects left in the store)."""
    from django.core.files.storage import default_storage
    from wagtail.images.models import get_rendition_storage

    image = upload_image(editor, "将删除的封面")
    rendition = image.get_rendition("fill-200x100").file.name
    document = upload_document(editor, "将删除的讲义", b"%PDF-1.4 delete me")
    names = [image.file.name, document.file.name]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        for url in (
            reverse("wagtailimages:delete", args=[image.pk]),
            reverse("wagtaildocs:delete", args=[document.pk]),
        ):
            assert editor.post(url).status_code == 302, url
    assert not any(default_storage.exists(name) for name in names)
    assert not get_rendition_storage().exists(rendition)


def test_a_private_images_rendition_is_refused_anonymously_and_opens_for_an_editor(editor):
    """A rendition an editor's preview made of a draft's picture: nobody else gets it, by
    the URL the preview shows nor straight from the store; the editor does."""
    from django.test import Client

    image = upload_image(editor, "草稿封面")
    lesson = make_lesson("草稿课程封面", publish=False, cover=image)
    preview = editor.get(reverse("wagtailadmin_pages:view_draft", args=[lesson.pk]))
    assert preview.status_code == 200
    renditions = list(image.renditions.all())
    assert renditions, "the preview made no rendition"
    anonymous = Client()
    for rendition in renditions:
        status, _headers, body, _cache = open_picture(anonymous, rendition.url)
        assert status in {302, 403, 404} and not is_picture(body), rendition.url
        assert fetch(plain_url(rendition.file.name))[0] in {403, 404}
        status, _headers, body, site_cache = open_picture(editor, rendition.url)
        assert status == 200 and is_picture(body)
        assert "no-store" in site_cache and "private" in site_cache


def test_a_renditions_redirect_is_stable_and_follows_a_change_of_privacy(editor):
    from django.test import Client

    from pioneer.ops.storage import CheckedRenditionStorage

    image = upload_image(editor, "公开后撤下的封面")
    lesson = make_lesson("公开后撤下的课程", cover=image)
    rendition = image.get_rendition("fill-320x180")
    anonymous = Client()
    first, second = anonymous.get(rendition.url), anonymous.get(rendition.url)
    assert first.status_code == second.status_code == 302
    # The same signed URL all window long, so whoever keeps the redirect keeps the picture.
    assert first["Location"] == second["Location"] and "X-Amz-Signature=" in first["Location"]
    storage = rendition.file.storage
    assert isinstance(storage, CheckedRenditionStorage)
    max_age = int(first["Cache-Control"].removeprefix("public, max-age="))
    assert 0 <= max_age <= storage.url_window
    expires = int(re.search(r"X-Amz-Expires=(\d+)", first["Location"]).group(1))
    assert max_age + storage.url_window - 1 <= expires <= 2 * storage.url_window
    assert fetch(first["Location"])[0] == 200

    lesson.unpublish()  # private again: the site refuses at once
    status, _headers, body, _cache = open_picture(anonymous, rendition.url)
    assert status == 302 and not is_picture(body)
    assert "login" in anonymous.get(rendition.url)["Location"]
    assert fetch(plain_url(rendition.file.name))[0] in {403, 404}
    lesson.save_revision().publish()
    assert open_picture(anonymous, rendition.url)[0] == 200


@pytest.mark.demo
def test_renditions_an_older_release_made_public_are_made_private(editor):
    """Written public-read before the site checked renditions on S3: the upgrade's
    command (SECURITY.md) makes the store refuse them."""
    from django.core.management import call_command
    from wagtail.images.models import get_rendition_storage

    storage = get_rendition_storage()
    image = upload_image(editor, "旧版公开的封面")
    rendition = image.get_rendition("fill-320x180")
    # What the former release wrote: the same object with the public-read ACL.
    with storage.open(rendition.file.name) as source:
        storage.bucket.put_object(Key=rendition.file.name, Body=source.read(), ACL="public-read")
    assert fetch(plain_url(rendition.file.name))[0] == 200

    output = io.StringIO()
    call_command("make_renditions_private", stdout=output)
    assert "made private" in output.getvalue()
    assert fetch(plain_url(rendition.file.name))[0] == 403
    status, _headers, body, _cache = open_picture(editor, rendition.url)
    assert status == 200 and is_picture(body)  # still served after the site's check


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


NGINX_SEED = """
import json
from django.contrib.auth import get_user_model
from pioneer.demo.loader import build_site
from tests.support.factories import make_image, make_lesson

def image(title):
    return make_image(title, colour=(40, 120, 200), name="pic.png")

build_site()
public_image, draft_image = image("nginx公开图"), image("nginx草稿图")
make_lesson("nginx公开课", cover=public_image)
make_lesson("nginx草稿课", publish=False, cover=draft_image)
get_user_model().objects.create_superuser("nginx-s3-admin", "n@example.org", "Nginx-S3-pass-1")
print(json.dumps({
    "public": public_image.get_rendition("fill-32x32").url,
    "draft": draft_image.get_rendition("fill-32x32").url,
}))
"""


def test_behind_nginx_a_private_rendition_is_refused_and_a_public_ones_redirect_is_kept():
    """The production shape (deploy/local/web: nginx, gunicorn) on the object store: nginx
    asks the site, which redirects to the store; a public picture's redirect comes from
    nginx's cache the second time, a draft's is refused, and the editor gets it."""
    import json

    from tests.support.live_site import AdminSession, get, live_site, shell

    with live_site({"MEDIA_STORAGE": "s3"}) as live:
        base = live["base"]
        urls = json.loads(shell(live, NGINX_SEED))
        assert urls["public"].startswith("/media/images/")
        status, _type, body, _location = get(base + urls["draft"])
        assert status == 403 and not is_picture(body)
        assert fetch(plain_url(urls["draft"].removeprefix("/media/")))[0] in {403, 404}

        first = fetch(base + urls["public"])
        second = fetch(base + urls["public"])
        for status, headers, _body in (first, second):
            assert status == 302 and headers["Location"].startswith(ENDPOINT)
            assert headers["Cache-Control"].startswith("public, max-age=")
        assert second[1]["X-Cache-Status"] == "HIT"
        assert first[1]["Location"] == second[1]["Location"]
        status, _headers, body = fetch(first[1]["Location"])
        assert status == 200 and is_picture(body)

        editor = AdminSession(base, "nginx-s3-admin", "Nginx-S3-pass-1")
        try:
            editor.opener.open(base + urls["draft"], timeout=30)
            raise AssertionError("the editor's picture was not redirected")
        except urllib.error.HTTPError as error:
            assert error.code == 302 and "private" in error.headers["Cache-Control"]
            location = error.headers["Location"]
        status, _headers, body = fetch(location)
        assert status == 200 and is_picture(body)
