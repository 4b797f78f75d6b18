"""The schedule's subscriptions: iCalendar, XMLTV, RSS and Atom give the slots the channel's
page gives (``listing.days``), in China Standard Time, and say so."""

import datetime
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
from django.utils import timezone
from wagtail.models import Locale

from pioneer.core.addresses import public_url
from pioneer.core.models import Region
from schedule import listing
from schedule.models import Channel, Slot
from tests.support.factories import make_lesson, make_translation

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
TODAY = listing.local_today()
NOW = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=CST)


def at(days, hour, minute=0):
    return datetime.datetime.combine(
        TODAY + datetime.timedelta(days=days), datetime.time(hour, minute), tzinfo=CST
    )


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Noon in China today: "today" and "upcoming" do not move while a test runs."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def zh():
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def en():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def channel(zh):
    province = Region.objects.get(slug="zhejiang", locale__language_code="zh-hans")
    return Channel.objects.create(
        name="浙江远程教育频道", slug="zjyj", region=province, locale=zh, description="有线 28 频道"
    )


@pytest.fixture
def lesson():
    return make_lesson("茶园冬季管理", function="skills", summary="茶园入冬前后的施肥与修剪。")


@pytest.fixture
def slots(channel, lesson):
    tonglu = Region.objects.get(slug="tonglu", locale__language_code="zh-hans")

    def slot(start, minutes, title, **fields):
        return Slot.objects.create(
            channel=channel,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=minutes),
            title=title,
            **fields,
        )

    return [
        slot(at(-1, 19, 30), 40, "昨天的节目", function="skills"),
        slot(at(0, 8), 40, "早间党课", function="theory"),
        slot(at(0, 19, 30), 40, "茶园冬季管理", function="skills", lesson=lesson, region=tonglu),
        slot(at(0, 20, 10), 40, "农村电商入门", function="skills", repeat=True),
        slot(at(1, 19, 30), 30, "学习新思想", function="theory"),
        slot(at(1, 20), 40, "茶园冬季管理", function="skills", lesson=lesson, repeat=True),
        slot(at(1, 21), 30, "越剧选段", function="culture"),
        slot(at(listing.DAYS_AHEAD + 1, 19, 30), 40, "窗口以外的节目", function="skills"),
    ]


def page_items(channel, locale, function=None):
    """What the channel's page shows (listing.days), in the feeds' order."""
    items = [item for _day, day in listing.days(channel, locale) for item in day]
    return [item for item in items if not function or item.slot.function == function]


def marked(title, repeat, language="zh-hans"):
    if not repeat:
        return title
    return f"{title}（重播）" if language == "zh-hans" else f"{title} (repeat)"


def calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    return icalendar.Calendar.from_ical(response.content)


# -- iCalendar ---------------------------------------------------------------------------


def test_the_calendar_gives_the_slots_of_the_page(client, channel, slots, zh, lesson):
    cal = calendar(client, "/feeds/zh-hans/schedule/zjyj.ics")
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "浙江远程教育频道"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]

    events = cal.walk("VEVENT")
    expected = page_items(channel, zh)
    assert len(expected) == 6  # yesterday's and the one past the window are left out
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in events] == [
        (marked(i.title, i.repeat), i.starts_at, i.ends_at) for i in expected
    ]
    for event in events:  # stated in China time, not UTC
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
        assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=8)
        assert event.decoded("DTSTAMP")
    assert events[1].decoded("DTSTART").strftime("%H:%M") == "19:30"

    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    again = calendar(client, "/feeds/zh-hans/schedule/zjyj.ics")
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids  # stable: phones update

    tea = events[1]
    assert str(tea["URL"]) == public_url(lesson.url)
    assert public_url(lesson.url) in str(tea["DESCRIPTION"])
    assert "桐庐" in str(tea["DESCRIPTION"])
    assert [str(c) for c in tea["CATEGORIES"].cats] == ["实用技术培训"]
    assert str(events[2]["SUMMARY"]) == "农村电商入门（重播）"
    assert "重播" in str(events[2]["DESCRIPTION"])


def test_the_calendar_of_one_function(client, channel, slots, zh):
    cal = calendar(client, "/feeds/zh-hans/schedule/zjyj.ics?function=theory")
    assert str(cal["X-WR-CALNAME"]) == "浙江远程教育频道 · 思想理论教育"
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["早间党课", "学习新思想"]
    assert [e.decoded("DTSTART") for e in events] == [
        i.starts_at for i in page_items(channel, zh, "theory")
    ]
    # the function's Chinese name, as import files give it, is understood too
    by_name = calendar(client, "/feeds/zh-hans/schedule/zjyj.ics?function=文化艺术熏陶")
    assert [str(e["SUMMARY"]) for e in by_name.walk("VEVENT")] == ["越剧选段"]


def test_an_empty_week_still_states_its_time_zone(client, channel):
    cal = calendar(client, "/feeds/zh-hans/schedule/zjyj.ics")
    assert cal.walk("VEVENT") == []
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


@pytest.mark.parametrize("path", ["zjyj.ics", "zjyj/rss.xml", "zjyj/atom.xml"])
def test_an_unknown_function_is_a_bad_request(client, channel, path):
    response = client.get(f"/feeds/zh-hans/schedule/{path}?function=farming")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "未知的功能分类" in text and "farming" in text and "skills" in text


@pytest.mark.parametrize(
    "path",
    ["nowhere.ics", "nowhere.xml", "nowhere/rss.xml", "nowhere/atom.xml", "nowhere/today.txt"],
)
def test_an_unknown_channel_is_not_found(client, channel, path):
    assert client.get(f"/feeds/zh-hans/schedule/{path}").status_code == 404


def test_an_unknown_language_is_not_found(client, channel):
    assert client.get("/feeds/fr/schedule/zjyj.ics").status_code == 404
    assert client.get("/feeds/zh-hant/schedule/zjyj.xml").status_code == 404


def test_only_reading_is_allowed(client, channel):
    assert client.head("/feeds/zh-hans/schedule/zjyj.ics").status_code == 200
    assert client.post("/feeds/zh-hans/schedule/zjyj.ics").status_code == 405


# -- XMLTV -------------------------------------------------------------------------------


def xmltv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert b"<!DOCTYPE" not in response.content
    return ET.fromstring(response.content)


def test_xmltv_gives_the_slots_of_the_page(client, channel, slots, zh, lesson):
    tv = xmltv(client, "/feeds/zh-hans/schedule/zjyj.xml")
    assert tv.tag == "tv"
    assert tv.get("generator-info-name") == "时代先锋网"
    assert tv.get("source-info-name") == "时代先锋网"
    [element] = tv.findall("channel")
    assert element.get("id") == "zjyj"
    assert element.find("display-name").text == "浙江远程教育频道"
    assert element.find("display-name").get("lang") == "zh"

    programmes = tv.findall("programme")
    expected = page_items(channel, zh)
    assert [
        (p.get("channel"), p.get("start"), p.get("stop"), p.find("title").text) for p in programmes
    ] == [
        (
            "zjyj",
            timezone.localtime(i.starts_at, CST).strftime("%Y%m%d%H%M%S +0800"),
            timezone.localtime(i.ends_at, CST).strftime("%Y%m%d%H%M%S +0800"),
            i.title,
        )
        for i in expected
    ]
    assert programmes[1].get("start") == at(0, 19, 30).strftime("%Y%m%d") + "193000 +0800"
    assert [p.find("previously-shown") is not None for p in programmes] == [
        i.repeat for i in expected
    ]
    assert [p.find("premiere") is not None for p in programmes] == [not i.repeat for i in expected]
    tea = programmes[1]
    assert tea.find("title").get("lang") == "zh"
    assert tea.find("category").text == "实用技术培训"
    assert tea.find("url").text == public_url(lesson.url)
    assert "茶园入冬前后的施肥与修剪。" in tea.find("desc").text
    assert programmes[0].find("url") is None  # no lesson linked


# -- RSS and Atom ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feeds_carry_the_slots_to_come(client, channel, slots, zh, lesson, kind):
    response = client.get(f"/feeds/zh-hans/schedule/zjyj/{kind}.xml")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert "浙江远程教育频道" in feed.feed.title
    upcoming = [i for i in page_items(channel, zh) if i.ends_at > NOW]
    assert len(upcoming) == 5  # this morning's has ended
    assert [e.title for e in feed.entries] == [
        f"{timezone.localtime(i.starts_at, CST):%m-%d %H:%M} {marked(i.title, i.repeat)}"
        for i in upcoming
    ]
    tea = feed.entries[0]
    assert tea.title == f"{at(0, 19, 30):%m-%d} 19:30 茶园冬季管理"
    assert tea.link == public_url(lesson.url)
    assert "19:30 至 20:10（北京时间）" in tea.summary
    assert "实用技术培训" in tea.summary and "桐庐" in tea.summary
    assert feed.entries[1].link == public_url("/zh-hans/schedule/zjyj/")  # no lesson
    assert "重播" in feed.entries[1].summary
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids)
    # built now, though its items are dated by their (coming) starts
    built = datetime.datetime(*feed.feed.updated_parsed[:6], tzinfo=datetime.UTC)
    assert built == NOW


def test_the_feed_of_one_function(client, channel, slots):
    feed = feedparser.parse(
        client.get("/feeds/zh-hans/schedule/zjyj/rss.xml?function=theory").content
    )
    assert [e.title.split(" ", 2)[2] for e in feed.entries] == ["学习新思想"]


# -- English -----------------------------------------------------------------------------


def test_english_feeds_use_the_english_lesson_and_channel(client, channel, slots, en, lesson):
    make_translation(lesson, {"茶园冬季管理": "Winter care of tea gardens"})
    Channel.objects.create(
        name="Zhejiang Distance Education Channel",
        slug="zjyj",
        region=channel.region,
        locale=en,
        translation_key=channel.translation_key,
    )
    cal = calendar(client, "/feeds/en/schedule/zjyj.ics")
    assert str(cal["X-WR-CALNAME"]) == "Zhejiang Distance Education Channel"
    events = cal.walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [i.starts_at for i in page_items(channel, en)]
    tea = events[1]
    assert str(tea["SUMMARY"]) == "Winter care of tea gardens"
    assert "/en/" in str(tea["URL"])
    assert [str(c) for c in tea["CATEGORIES"].cats] == ["Practical Skills Training"]

    tv = xmltv(client, "/feeds/en/schedule/zjyj.xml")
    assert tv.find("channel/display-name").text == "Zhejiang Distance Education Channel"
    assert tv.find("channel/display-name").get("lang") == "en"
    assert tv.get("source-info-name") == "Pioneers of the Times"
    titles = [(p.find("title").text, p.find("title").get("lang")) for p in tv.findall("programme")]
    assert titles[1] == ("Winter care of tea gardens", "en")
    assert titles[0] == ("早间党课", "en")  # a slot without an English lesson keeps its title

    for kind in ("rss", "atom"):
        response = client.get(f"/feeds/en/schedule/zjyj/{kind}.xml")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert feed.entries[0].title.endswith("19:30 Winter care of tea gardens")
        assert "China Standard Time" in feed.entries[0].summary
    assert client.get("/feeds/en/schedule/zjyj/today.txt").status_code == 200


def test_the_calendar_and_xmltv_agree_with_the_page_as_served(client, channel, slots):
    """The channel's page itself (its HTML), not only the listing it reads: each slot's
    China time and title on the page is an event of the calendar and a programme of XMLTV."""
    import re

    html = client.get("/zh-hans/schedule/zjyj/").content.decode()
    days = html[html.index('class="schedule-day"') :]
    on_page = re.findall(
        r'<time class="slot-time" datetime="([^"]+)">[^<]*</time>\s*'
        r'<span class="slot-title">(?:<a [^>]*>)?([^<]+)',
        days,
    )
    on_page = [(datetime.datetime.fromisoformat(when), title) for when, title in on_page]
    assert len(on_page) == 6
    cal = calendar(client, "/feeds/zh-hans/schedule/zjyj.ics")
    events = [
        (e.decoded("DTSTART"), str(e["SUMMARY"]).removesuffix("（重播）"))
        for e in cal.walk("VEVENT")
    ]
    assert events == on_page
    tv = ET.fromstring(client.get("/feeds/zh-hans/schedule/zjyj.xml").content)
    programmes = [
        (datetime.datetime.strptime(p.get("start"), "%Y%m%d%H%M%S %z"), p.findtext("title"))
        for p in tv.iter("programme")
    ]
    assert programmes == on_page
