"""The programme's regions are Zhejiang's real geography, from a recorded data package, and a
region means itself and everything below it on every public surface."""

import datetime
import json

import pytest
from wagtail.models import Locale

from news.models import NewsIndexPage, NewsPage
from pioneer.core.regions import find_region, region_data, source
from pioneer.models import Region
from tests.support.factories import make_lesson

# Slugs the demo and partners' links already used must keep their meaning.
EXISTING_SLUGS = {
    "zhejiang": "330000",
    "hangzhou": "330100",
    "ningbo": "330200",
    "wenzhou": "330300",
    "jiaxing": "330400",
    "huzhou": "330500",
    "shaoxing": "330600",
    "jinhua": "330700",
    "quzhou": "330800",
    "zhoushan": "330900",
    "taizhou": "331000",
    "lishui": "331100",
    "tonglu": "330122",
    "keqiao": "330603",
    "anji": "330523",
    "yuyao": "330281",
    "suichang": "331123",
    "jiangshan": "330881",
}


def test_data_file_is_zhejiang_with_its_cities_and_counties():
    rows = region_data()
    levels = [row["level"] for row in rows]
    assert levels.count("province") == 1
    assert levels.count("city") == 11
    assert levels.count("county") == 90
    codes = {row["code"]: row for row in rows}
    assert len(codes) == len(rows) and len({row["slug"] for row in rows}) == len(rows)
    for row in rows:
        assert row["code"].isdigit() and len(row["code"]) == 6 and row["code"].startswith("33")
        assert row["slug"].isascii() and row["slug"].isalpha() and row["slug"].islower()
        if row["level"] == "county":
            # GB/T 2260: a county's code starts with its city's four digits.
            assert codes[row["parent"]]["level"] == "city"
            assert row["code"][:4] == row["parent"][:4]
        elif row["level"] == "city":
            assert row["parent"] == "330000" and row["code"].endswith("00")
    assert {row["slug"]: row["code"] for row in rows if row["slug"] in EXISTING_SLUGS} == (
        EXISTING_SLUGS
    )
    recorded = source()
    assert recorded["package"] and recorded["version"] and recorded["data_date"]
    assert recorded["counts"] == {"province": 1, "city": 11, "county": 90}


@pytest.mark.django_db
def test_every_region_is_in_the_database_with_its_code_in_both_languages():
    zh = Locale.objects.get(language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    stored = dict(Region.objects.filter(locale=zh).values_list("code", "slug"))
    assert stored == {row["code"]: row["slug"] for row in region_data()}
    chunan = Region.objects.get(locale=zh, code="330127")
    assert (chunan.name, chunan.parent.slug, chunan.parent.parent.slug) == (
        "淳安县",
        "hangzhou",
        "zhejiang",
    )
    english = chunan.get_translation(en)
    assert english.name == "Chunan County" and english.parent.slug == "hangzhou"
    assert english.parent.locale_id == en.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["chunan", "330127", "淳安县", "淳安", "  淳安县 ", "CHUNAN"], ids=str.strip
)
def test_a_region_is_named_by_slug_code_or_chinese_name(value):
    zh = Locale.objects.get(language_code="zh-hans")
    assert find_region(value, zh).code == "330127"


@pytest.mark.django_db
def test_names_with_and_without_their_level():
    zh = Locale.objects.get(language_code="zh-hans")
    for value in ("衢州", "衢州市", "景宁", "景宁畲族自治县", "浙江", "浙江省", "柯桥区", "柯桥"):
        assert find_region(value, zh) is not None, value
    for value in ("", "330", "999999", "不存在", "a\x00b"):
        assert find_region(value, zh) is None, value


@pytest.fixture
def county_content(db):
    """A lesson and a news item of 淳安县 (a county of 杭州), titled so a search finds them."""
    zh = Locale.objects.get(language_code="zh-hans")
    chunan = Region.objects.get(locale=zh, slug="chunan")
    lesson = make_lesson(
        "千岛湖茶园绿色防控",
        region=chunan,
        date=datetime.date.today(),
        summary="淳安县茶园病虫害绿色防控技术",
    )
    section = NewsIndexPage.objects.get(locale=zh, region=chunan)
    news = NewsPage(
        title="淳安县远教站点千岛湖培训",
        summary="千岛湖畔的远教站点培训",
        date=datetime.date.today(),
        region=chunan,
    )
    section.add_child(instance=news)
    news.save_revision().publish()
    return lesson, news


def test_province_lesson_index_includes_county_lessons(client, county_content):
    lesson, _news = county_content
    index = lesson.get_parent().specific
    html = client.get(index.url, {"region": "zhejiang"}).content.decode()
    assert lesson.title in html


def test_province_news_listing_includes_county_news(client, county_content):
    _lesson, news = county_content
    root = NewsIndexPage.objects.get(locale__language_code="zh-hans", slug="news")
    assert news.title in client.get(root.url, {"region": "zhejiang"}).content.decode()
    province = NewsIndexPage.objects.get(locale__language_code="zh-hans", region__slug="zhejiang")
    assert news.title in client.get(province.url).content.decode()


def test_province_feed_includes_county_lessons_and_news(client, county_content):
    lesson, news = county_content
    xml = client.get("/feeds/zh-hans/regions/zhejiang/rss.xml").content.decode()
    assert lesson.title in xml and news.title in xml


def test_province_search_includes_county_lessons(client, county_content):
    lesson, _news = county_content
    answer = client.get("/api/search/", {"q": "千岛湖", "region": "zhejiang"}).json()
    assert lesson.title in [item["title"] for item in answer["results"]]
    page = client.get("/zh-hans/search/", {"q": "千岛湖", "region": "zhejiang"})
    assert lesson.title in page.content.decode()


def test_province_api_v2_includes_county_lessons(client, county_content):
    lesson, news = county_content
    answer = client.get(
        "/api/v2/pages/", {"type": "lessons.LessonPage", "region": "zhejiang", "limit": 50}
    ).json()
    assert lesson.pk in [item["id"] for item in answer["items"]]
    by_code = client.get("/api/v2/pages/", {"type": "news.NewsPage", "region": "330000"}).json()
    assert news.pk in [item["id"] for item in by_code["items"]]


def test_province_widget_includes_county_lessons(client, county_content):
    lesson, _news = county_content
    html = client.get("/embed/lessons/", {"region": "zhejiang", "limit": 20}).content.decode()
    assert lesson.title in html


def test_a_city_does_not_include_another_citys_counties(client, county_content):
    lesson, _news = county_content
    answer = client.get("/api/search/", {"q": "千岛湖", "region": "ningbo"}).json()
    assert lesson.title not in [item["title"] for item in answer["results"]]
    assert lesson.title in json.dumps(
        client.get("/api/search/", {"q": "千岛湖", "region": "hangzhou"}).json(),
        ensure_ascii=False,
    )


def test_unknown_region_is_a_clear_400(client, db):
    assert client.get("/api/v2/pages/", {"region": "atlantis"}).status_code == 400
    assert client.get("/api/search/", {"q": "茶", "region": "atlantis"}).status_code == 400
