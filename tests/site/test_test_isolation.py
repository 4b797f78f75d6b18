"""The suite's own isolation (tests/conftest.py): what one test counts is not held against
the next. Both tests run in one process when this file runs alone (or on one worker)."""

import pytest

pytestmark = pytest.mark.django_db

SEARCH = "/api/search/"


def test_a_test_may_use_up_its_addresss_api_limit(client, settings):
    settings.RATE_LIMIT_API = "3/m"
    codes = [client.get(SEARCH, {"q": "水稻"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_next_test_starts_with_a_fresh_count(client, settings):
    settings.RATE_LIMIT_API = "3/m"
    assert client.get(SEARCH, {"q": "水稻"}).status_code == 200
