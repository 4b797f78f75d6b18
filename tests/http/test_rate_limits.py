"""Too many requests from one client to the API or search get a 429 with Retry-After."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_api_limit_answers_429_with_retry_after(client, settings):
    settings.RATE_LIMIT_API = "5/m"
    codes = [client.get("/api/search/", {"q": "水稻"}).status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    limited = client.get("/api/v2/pages/")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["error"] == "rate limit exceeded"


def test_search_page_limit_is_friendly(client, settings):
    settings.RATE_LIMIT_SEARCH = "3/m"
    codes = [client.get("/zh-hans/search/", {"q": "水稻"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/zh-hans/search/", {"q": "水稻"})
    assert "请求过于频繁" in response.content.decode() and response["Retry-After"]


def test_limits_count_each_client_separately(client, settings):
    settings.RATE_LIMIT_API = "2/m"
    for _ in range(2):
        assert client.get("/api/v2/pages/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/v2/pages/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/v2/pages/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_pages_are_not_limited(client, settings):
    settings.RATE_LIMIT_API = "1/m"
    settings.RATE_LIMIT_SEARCH = "1/m"
    assert all(client.get("/zh-hans/").status_code == 200 for _ in range(5))
