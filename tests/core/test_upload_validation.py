"""Uploads through the admin refuse what is not what it claims, too big, or a bomb.

Each case goes through the real Wagtail admin views (single and multiple image upload,
document upload) as an editor would, and checks for a clear message in the admin's
language (Chinese), a 4xx or the form again, never a 500, and nothing stored.
"""

import io
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def editor(client, admin_user):
    client.force_login(admin_user)
    return client


def _stored_files():
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def nothing_stored():
    """Asserts that the test adds no image, document or file."""
    images, documents = get_image_model().objects.count(), get_document_model().objects.count()
    files = _stored_files()
    yield
    assert get_image_model().objects.count() == images
    assert get_document_model().objects.count() == documents
    assert _stored_files() - files == set()


def _upload(name, data, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def _png(width, height):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (155, 28, 28)).save(buffer, "PNG")
    return buffer.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb(width=20000, height=20000):
    """A PNG of a few hundred bytes declaring width×height 1-bit pixels (the rows are
    zeros, compressed; decoding it would take hundreds of megabytes)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * ((width + 7) // 8 + 1) * 64, 9)  # the first rows only
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def _form_errors(response):
    form = response.context["form"]
    return [str(error) for errors in form.errors.values() for error in errors]


def _add_image(client, upload):
    return client.post("/admin/images/add/", {"title": "测试图片", "file": upload})


def _add_image_multiple(client, upload):
    return client.post("/admin/images/multiple/add/", {"files[]": upload})


def test_a_real_image_is_accepted(editor):
    """The control case: the same views store a real image."""
    response = _add_image(editor, _upload("real.png", _png(40, 30), "image/png"))
    assert response.status_code == 302
    image = get_image_model().objects.get(title="测试图片")
    assert (image.width, image.height) == (40, 30)


def test_a_text_file_named_jpg_is_refused(editor, nothing_stored):
    upload = _upload("课件.jpg", "这不是图片，只是一段文字。\n".encode() * 20)
    response = _add_image(editor, upload)
    assert response.status_code == 200  # the form again
    errors = _form_errors(response)
    assert errors and all(CJK.search(e) for e in errors), errors

    upload.seek(0)
    multiple = _add_image_multiple(editor, upload)
    assert multiple.status_code == 200
    body = multiple.json()
    assert body["success"] is False and CJK.search(body["error_message"]), body


def test_an_oversize_image_is_refused(editor, nothing_stored):
    # Random pixels do not compress: a real PNG just over the 10 MB limit.
    side = 1900
    noise = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    data = buffer.getvalue()
    assert len(data) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    response = _add_image(editor, _upload("big.png", data, "image/png"))
    assert response.status_code == 200
    errors = _form_errors(response)
    assert errors and CJK.search(errors[0]) and "10" in errors[0], errors


def test_a_decompression_bomb_is_refused(editor, nothing_stored):
    data = _bomb()
    assert len(data) < 2000
    assert struct.unpack(">II", data[16:24]) == (20000, 20000)  # what its header claims
    with pytest.raises(PILImage.DecompressionBombError):  # Pillow itself calls it a bomb
        PILImage.open(io.BytesIO(data))
    response = _add_image(editor, _upload("bomb.png", data, "image/png"))
    assert response.status_code == 200
    errors = _form_errors(response)
    assert errors and CJK.search(errors[0]), errors
    # Names the limit (Pillow refuses to measure a bomb, so Wagtail cannot name its size).
    assert str(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS) in errors[0].replace(",", "")

    multiple = _add_image_multiple(editor, _upload("bomb.png", data, "image/png"))
    assert multiple.status_code == 200 and multiple.json()["success"] is False


@pytest.mark.parametrize(
    "name, data",
    [
        ("setup.exe", b"MZ\x90\x00" + b"\0" * 200),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("page.htm", b"<html></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    ],
)
def test_a_document_with_a_disallowed_extension_is_refused(editor, nothing_stored, name, data):
    response = editor.post(
        "/admin/documents/add/",
        {"title": "测试文件", "file": _upload(name, data, "application/octet-stream")},
    )
    assert response.status_code == 200
    errors = _form_errors(response)
    assert errors and CJK.search(errors[0]), errors
    assert "pdf" in errors[0]  # says which types are allowed
