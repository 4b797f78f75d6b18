"""A database or object store that does not answer gives learners a friendly 503 page
(with Retry-After, rendered without touching the database) and partners a JSON 503,
never the 500 page; a real bug still gives the 500 page. The same pieces are proved
against a real outage of the whole stack in tests/deploy/test_faults.py (FULL_STACK=1)."""

import pytest
from django.test import Client, override_settings

from lessons import offline
from tests.unavailable_urls import unreachable_storage

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.unavailable_urls")]


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def test_database_outage_answers_the_friendly_503_page_without_a_query(
    anonymous, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = anonymous.get("/outage/database/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "服务暂时不可用" in body and "请稍后刷新重试" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_an_error_raised_from_a_database_error_is_an_outage_too(anonymous):
    response = anonymous.get("/outage/chained/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


def test_object_store_outage_answers_503(anonymous):
    response = anonymous.get("/outage/storage/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()


def test_api_outage_answers_json(anonymous):
    response = anonymous.get("/api/outage/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    data = response.json()
    assert data["unavailable"] == "database"
    assert data["error"] == "服务暂时不可用，请稍后再试。"


def test_a_bug_still_answers_the_500_page(anonymous):
    response = anonymous.get("/outage/bug/")
    assert response.status_code == 500
    assert "服务暂时出错" in response.content.decode()
    assert "Retry-After" not in response


@override_settings(LANGUAGE_CODE="en")
def test_the_503_page_speaks_the_requested_language(anonymous):
    response = anonymous.get("/outage/database/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "服务暂时不可用" not in body


def test_offline_pack_size_falls_back_to_the_estimate_when_the_store_is_away():
    # A lesson page shows its pack's size: with the store down it must still render.
    assert offline.cached_size("offline-packs/lessonpage-1-x.zip", unreachable_storage()) is None


def test_data_saver_image_link_leaves_out_the_weight_while_the_store_is_away():
    from types import SimpleNamespace

    from django.core.cache import cache
    from django.db.models.fields.files import FieldFile

    from pioneer.templatetags.pioneer_tags import image_link

    # A rendition's stored file, as its model field gives it, on a store that is away.
    stored = FieldFile(None, SimpleNamespace(storage=unreachable_storage()), "images/cover.webp")
    rendition = SimpleNamespace(file=stored, url="/cover.webp")
    assert str(image_link(rendition)) == '<a class="image-link" href="/cover.webp">查看图片</a>'
    assert "（" not in str(image_link(rendition, "稻田"))
    assert cache.get("rendition-bytes:images/cover.webp") is None  # asked again next time
