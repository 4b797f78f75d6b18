"""Images follow the documents' rule (pioneer.core.media_privacy): their originals and
renditions are public while a public page shows them, editors-only otherwise. Without
nginx the site serves both; behind nginx its check answers nginx's auth_request
(tests/http/test_media_nginx.py runs that end to end)."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from tests.support.factories import make_image, make_lesson

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def check(client, url):
    """What nginx's auth_request would be told for ``url``."""
    return client.get("/_media_check" + url)


def test_image_of_a_draft_lesson_is_for_editors_only(client, admin_user):
    image = make_image("草稿封面")
    make_lesson("草稿课程图", publish=False, cover=image)
    rendition = image.get_rendition("fill-32x32")
    for url in (image.file.url, rendition.url):
        assert url.startswith("/media/")
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
        assert check(client, url).status_code == 403
    client.force_login(admin_user)
    for url in (image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200 and body(response)[:2] == b"\xff\xd8"
        assert "private" in response["Cache-Control"]
        assert check(client, url).status_code == 200


def test_image_of_a_public_lesson_is_public_and_cacheable(client):
    image = make_image("公开封面", colour=(30, 200, 30))
    make_lesson("公开课程图", cover=image)
    rendition = image.get_rendition("fill-32x32")
    for url in (image.file.url, rendition.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=604800"
        assert response["Content-Type"] == "image/jpeg"
        verdict = check(client, url)
        assert verdict.status_code == 200 and verdict["Cache-Control"] == "public, max-age=604800"


def test_uploaded_image_no_page_uses_is_private(client):
    image = make_image("未用图片")
    assert client.get(image.file.url).status_code == 302
    assert check(client, image.file.url).status_code == 403


def test_image_of_a_login_page_opens_for_logged_in_learners(client):
    image = make_image("内部图片")
    page = make_lesson("内部课程图", cover=image)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(image.file.url).status_code == 302
    client.force_login(get_user_model().objects.create_user("learner2", password="pw-L-2x"))
    assert client.get(image.file.url).status_code == 200
    assert check(client, image.file.url).status_code == 200


def test_unknown_or_traversing_media_paths_are_not_found(client):
    assert client.get("/media/original_images/nothing-here.jpg").status_code == 404
    assert client.get("/media/images/../documents/x.pdf").status_code == 404
    assert client.get("/media/images/a\x00.jpg").status_code == 404


def test_api_lists_only_images_public_pages_show(client):
    shown, drafted = make_image("接口公开图"), make_image("接口草稿图")
    make_lesson("接口公开课", cover=shown)
    page = make_lesson("接口课程草稿", cover=None)
    page.cover = drafted
    page.save_revision()  # a draft of a live page: not what the public sees
    assert client.get(f"/api/v2/images/{shown.pk}/").status_code == 200
    assert client.get(f"/api/v2/images/{drafted.pk}/").status_code == 404
