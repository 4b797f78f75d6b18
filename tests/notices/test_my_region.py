"""Choosing "my region": a cookie set by a plain form, a home page that leads with the
region's content, and a way back to the whole province."""

import pytest

from pioneer.caching.nginx import PAGE_KEPT
from tests.support.factories import make_lesson, make_news, region

pytestmark = pytest.mark.django_db


def test_choosing_a_county_sets_the_cookie_and_goes_back(client):
    response = client.get(
        "/mode/region/", {"region": "tonglu", "lang": "zh-hans", "next": "/zh-hans/news/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/news/"
    cookie = response.cookies["region"]
    assert cookie.value == "tonglu"
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 300 * 24 * 3600


def test_without_next_it_goes_to_the_home_page_of_the_language(client):
    response = client.get("/mode/region/", {"region": "anji", "lang": "zh-hans"})
    assert response.cookies["region"].value == "anji"
    assert response["Location"] == "/zh-hans/"


def test_the_province_or_nothing_clears_the_choice(client):
    client.cookies["region"] = "tonglu"
    for value in ("", "zhejiang"):
        response = client.get("/mode/region/", {"region": value, "lang": "en"})
        assert response.cookies["region"].value == ""  # deleted
        assert response["Location"] == "/en/"


def test_an_unknown_region_is_a_clear_400(client):
    response = client.get("/zh-hans/region/")
    assert response.status_code == 200
    response = client.get("/mode/region/", {"region": "atlantis", "lang": "zh-hans"})
    assert response.status_code == 400
    assert "没有这个地区" in response.content.decode()
    assert "region" not in response.cookies
    response = client.get("/mode/region/", {"region": "<script>", "lang": "zh-hans"})
    assert response.status_code == 400


def test_next_may_not_lead_off_the_site(client):
    response = client.get("/mode/region/", {"region": "tonglu", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_chooser_lists_counties_under_their_cities_and_is_never_cached(client):
    client.cookies["region"] = "tonglu"
    response = client.get("/zh-hans/region/")
    html = response.content.decode()
    assert '<optgroup label="杭州市">' in html
    assert '<option value="tonglu" selected>桐庐县</option>' in html
    assert "no-store" in response["Cache-Control"]
    assert "现在选择的是：<strong>桐庐县</strong>" in html


def test_the_home_page_leads_with_the_county_and_its_city(client):
    make_news("桐庐县开展防台演练", "tonglu")
    make_news("杭州市部署远程教育工作", "hangzhou")
    make_news("安吉县白茶培训", "anji")
    make_lesson("桐庐本地课程", region=region("tonglu"))
    plain = client.get("/zh-hans/").content.decode()
    assert "本地内容" not in plain
    client.cookies["region"] = "tonglu"
    response = client.get("/zh-hans/")
    html = response.content.decode()
    lead = html[html.index('class="my-region"') : html.index('aria-labelledby="functions-h"')]
    assert "桐庐县：本地内容" in lead
    assert "桐庐县开展防台演练" in lead and "杭州市部署远程教育工作" in lead
    assert "桐庐本地课程" in lead
    assert "安吉县白茶培训" not in lead
    assert "查看全省内容" in lead
    assert response["X-Accel-Expires"] == str(PAGE_KEPT)  # the region's copy in nginx


def test_each_region_gets_its_own_home_fragment(client):
    make_news("安吉县白茶培训", "anji")
    client.cookies["region"] = "tonglu"
    client.get("/zh-hans/")
    client.cookies["region"] = "anji"
    html = client.get("/zh-hans/").content.decode()
    assert "安吉县：本地内容" in html


def test_the_region_is_part_of_the_home_page_etag(client):
    first = client.get("/zh-hans/")["ETag"]
    client.cookies["region"] = "tonglu"
    assert client.get("/zh-hans/")["ETag"] != first
