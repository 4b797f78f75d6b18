"""The suite's own isolation (tests/conftest.py): what one test counts is not held against
the next, and the language one test's request left active is not the next one's. Each
pair runs in one process when this file runs alone (or on one worker)."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

SEARCH = "/api/search/"


def test_a_test_may_use_up_its_addresss_api_limit(client, settings):
    settings.RATE_LIMIT_API = "3/m"
    codes = [client.get(SEARCH, {"q": "水稻"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_next_test_starts_with_a_fresh_count(client, settings):
    settings.RATE_LIMIT_API = "3/m"
    assert client.get(SEARCH, {"q": "水稻"}).status_code == 200


def test_a_request_for_an_english_page_leaves_english_active(client):
    assert client.get("/en/partners/").status_code == 200
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_the_default_language():
    assert translation.get_language() == "zh-hans"
