"""Partners' feeds: valid RSS/Atom (parsed by feedparser), only public pages, conditional GET."""

import datetime
import re

import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from lessons.models import LessonPage, LessonSeriesPage
from news.models import NewsPage, PolicyPage
from pioneer.core.five_functions import Function
from pioneer.core.public import public_pages
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

FEEDS = ["lessons", "news", "policies", "regions/huzhou", "regions/tonglu"] + [
    f"lessons/{key}" for key in Function.values
]


def _parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed, response


@pytest.mark.parametrize("name", FEEDS)
@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_feed_is_valid(client, name, kind, language):
    parsed, _response = _parse(client, f"/feeds/{language}/{name}/{kind}.xml")
    assert parsed.version.startswith(kind)
    for entry in parsed.entries:
        assert entry.title and entry.link and entry.get("published")


@pytest.mark.usefixtures("small_library")
def test_lesson_feed_entries_count_and_fields(client):
    parsed, _ = _parse(client, "/feeds/zh-hans/lessons/rss.xml")
    expected = public_pages(LessonPage, locale=False).filter(locale__language_code="zh-hans")
    assert len(parsed.entries) == min(30, expected.count())
    newest = expected.order_by("-date", "-pk").first()
    entry = parsed.entries[0]
    assert entry.title == newest.title
    assert entry.summary == newest.summary
    assert entry.link.endswith(newest.url)
    assert any(tag.term == str(newest.function_label) for tag in entry.tags)
    if newest.producer:
        assert entry.author == newest.producer


@pytest.mark.usefixtures("small_library")
def test_lesson_feed_has_media_enclosures(client):
    parsed, _ = _parse(client, "/feeds/zh-hans/lessons/atom.xml")
    enclosures = [link for e in parsed.entries for link in e.links if link.rel == "enclosure"]
    assert enclosures
    for enclosure in enclosures:
        assert enclosure.type.startswith(("video/", "audio/"))
        assert int(enclosure.length) > 0
        assert enclosure.href.startswith(settings.SITE_URL + "/")
        assert client.get(enclosure.href.removeprefix(settings.SITE_URL)).status_code == 200


@pytest.mark.usefixtures("small_library")
def test_function_feed_lists_only_that_function(client):
    parsed, _ = _parse(client, "/feeds/zh-hans/lessons/culture/rss.xml")
    titles = {e.title for e in parsed.entries}
    culture = set(
        LessonPage.objects.live()
        .filter(locale__language_code="zh-hans", function="culture")
        .values_list("title", flat=True)
    )
    assert titles and titles <= culture


@pytest.mark.usefixtures("small_library")
def test_policy_and_news_feeds(client):
    parsed, _ = _parse(client, "/feeds/zh-hans/policies/rss.xml")
    assert (
        len(parsed.entries)
        == PolicyPage.objects.live().filter(locale__language_code="zh-hans").count()
    )
    parsed, _ = _parse(client, "/feeds/zh-hans/news/atom.xml")
    assert {e.title for e in parsed.entries} <= set(
        NewsPage.objects.values_list("title", flat=True)
    )


def test_unpublished_private_and_expired_pages_never_appear(client):
    draft = make_lesson("未发布的菱角课", publish=False)
    private = make_lesson("内部的菱角课")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    expired = make_lesson("过期的菱角课", date=datetime.date(2030, 1, 1))
    LessonPage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    for path in ["/feeds/zh-hans/lessons/rss.xml", "/feeds/zh-hans/lessons/skills/atom.xml"]:
        body = client.get(path).content.decode()
        for page in (draft, private, expired):
            assert page.title not in body


@pytest.mark.usefixtures("small_library")
def test_english_feed_lists_only_translated_pages(client):
    parsed, _ = _parse(client, "/feeds/en/lessons/rss.xml")
    english = LessonPage.objects.live().filter(locale__language_code="en", alias_of__isnull=True)
    assert {e.title for e in parsed.entries} == set(english.values_list("title", flat=True))


def test_conditional_get_answers_304(client):
    path = "/feeds/zh-hans/lessons/rss.xml"
    first = client.get(path)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.usefixtures("small_library")
def test_unpublishing_changes_the_validators(client):
    path = "/feeds/zh-hans/lessons/rss.xml"
    first = client.get(path)
    newest = (
        LessonPage.objects.live().filter(locale__language_code="zh-hans").order_by("-date").first()
    )
    newest.unpublish()
    after = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert newest.title not in after.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/fr/lessons/rss.xml",
        "/feeds/zh-hans/lessons/magic/rss.xml",
        "/feeds/zh-hans/regions/atlantis/rss.xml",
        "/feeds/zh-hans/nothing/rss.xml",
        "/feeds/zh-hans/news/extra/rss.xml",
    ],
)
def test_unknown_feeds_are_404(client, path):
    assert client.get(path).status_code == 404


def test_feeds_are_open_to_other_origins(client):
    response = client.get("/feeds/zh-hans/news/rss.xml", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    page = client.get("/zh-hans/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in page


def test_pages_advertise_their_feeds(client):
    html = client.get("/zh-hans/lessons/shiyong-jishu/").content.decode()
    assert 'type="application/rss+xml"' in html
    assert "/feeds/zh-hans/lessons/skills/rss.xml" in html
    assert "/feeds/zh-hans/policies/atom.xml" in client.get("/zh-hans/policies/").content.decode()


@pytest.mark.usefixtures("small_library")
def test_every_kind_of_page_advertises_its_own_feed(client):
    # What each page type links (pioneer.partners.feeds.feed_of, read from the content
    # kinds): the home page the newest lessons, an office's news section its region's feed.
    def advertised(url):
        html = client.get(url).content.decode()
        return sorted(set(re.findall(r'href="(/feeds/[^"]+/rss\.xml)"', html)))

    assert advertised("/zh-hans/") == ["/feeds/zh-hans/lessons/rss.xml"]
    assert advertised("/zh-hans/lessons/") == ["/feeds/zh-hans/lessons/rss.xml"]
    assert advertised("/zh-hans/news/") == ["/feeds/zh-hans/news/rss.xml"]
    assert advertised("/zh-hans/news/hangzhou/") == ["/feeds/zh-hans/regions/hangzhou/rss.xml"]
    assert advertised("/zh-hans/policies/") == ["/feeds/zh-hans/policies/rss.xml"]
    lesson = LessonPage.objects.live().filter(locale__language_code="zh-hans").first()
    assert advertised(lesson.url) == [f"/feeds/zh-hans/lessons/{lesson.function}/rss.xml"]
    news = NewsPage.objects.live().filter(locale__language_code="zh-hans", region__isnull=False)
    assert advertised(news.first().url) == ["/feeds/zh-hans/news/rss.xml"]
    policy = PolicyPage.objects.live().filter(locale__language_code="zh-hans").first()
    assert advertised(policy.url) == ["/feeds/zh-hans/policies/rss.xml"]
    series = LessonSeriesPage.objects.live().filter(locale__language_code="zh-hans").first()
    assert advertised(series.url) == []
    assert advertised("/zh-hans/search/?q=水稻") == []
