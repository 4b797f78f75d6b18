"""Junk in query strings gives a normal page or a 404, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/zh-hans/lessons/",
    "/zh-hans/lessons/shiyong-jishu/",
    "/zh-hans/news/",
    "/zh-hans/policies/",
]
JUNK = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "1e9"},
    {"function": "no-such-function"},
    {"region": "atlantis"},
    {"duration": "forever"},
    {"tag": "x" * 5000},
    {"year": "abcd"},
    {"year": "99999999999999999999"},
    {"type": "<script>alert(1)</script>"},
    {"status": "' OR 1=1 --"},
    {"number": "浙组通[2023"},
    {"issuer": "\x00\x01"},
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("params", JUNK, ids=lambda p: "-".join(p)[:20])
def test_listing_survives_junk(client, url, params):
    response = client.get(url, params)
    assert response.status_code in (200, 404)
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize(
    "query",
    [
        '"(((',
        "AND OR NOT",
        "*",
        "NEAR(a b",
        "x" * 3000,
        "\x00\x07",
        "😀🌾",
        '水稻"病虫害',
        "-",
        "'",
    ],
)
def test_search_survives_junk(client, query):
    response = client.get("/zh-hans/search/", {"q": query})
    assert response.status_code == 200


def test_page_past_the_end_is_404(client):
    assert client.get("/zh-hans/lessons/", {"page": "99999"}).status_code == 404


@pytest.mark.parametrize(
    "url,params",
    [
        ("/zh-hans/lessons/", {"region": "\x00"}),
        ("/zh-hans/lessons/", {"tag": "水稻\x00"}),
        ("/zh-hans/news/", {"region": "\x00hangzhou"}),
        ("/zh-hans/policies/", {"issuer": "\x00"}),
        ("/api/search/", {"q": "水稻", "region": "\x00"}),
        ("/api/search/", {"q": "水稻", "locale": "zh-hans\x00"}),
        ("/api/search/suggest/", {"q": "水稻", "locale": "\x00"}),
        ("/api/v2/pages/", {"region": "\x00"}),
        ("/api/v2/pages/", {"tag": "\x00"}),
        ("/api/v2/pages/", {"locale": "\x00"}),
        ("/embed/lessons/", {"region": "\x00"}),
    ],
    ids=lambda value: value if isinstance(value, str) else "-".join(value),
)
def test_nul_in_parameters_is_no_error(client, url, params):
    """PostgreSQL refuses NUL in text (an error, not "no match" as on SQLite)."""
    response = client.get(url, params)
    assert response.status_code < 500
