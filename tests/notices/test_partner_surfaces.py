"""Partners get the notices: RSS and Atom (all, or a region's), one notice as a CAP 1.2
alert, JSON, and the embed widget."""

import datetime
import json
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import feedparser
import pytest
from django.utils import timezone

from tests.support.factories import make_notice

pytestmark = pytest.mark.django_db

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


@pytest.fixture
def typhoon():
    return make_notice("台风红色预警", "tonglu", summary="请停止集中收看，转移危房人员。")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_feeds_carry_notices_in_force_and_announced(client, typhoon, kind):
    make_notice(
        "明天的寒潮预警",
        "zhejiang",
        level="blue",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=2),
    )
    make_notice(
        "已结束的预警",
        "zhejiang",
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    response = client.get(f"/feeds/zh-hans/notices/{kind}.xml")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles == ["【红色预警】台风红色预警", "【蓝色预警】明天的寒潮预警"]
    assert "请停止集中收看" in feed.entries[0].summary
    assert unquote(feed.entries[0].link).endswith("/zh-hans/notices/" + typhoon.slug + "/")


def test_a_region_feed_carries_its_own_and_those_above_and_below(client, typhoon):
    make_notice("温州的预警", "wenzhou")
    tonglu = feedparser.parse(client.get("/feeds/zh-hans/notices/tonglu/rss.xml").content)
    assert [e.title for e in tonglu.entries] == ["【红色预警】台风红色预警"]
    hangzhou = feedparser.parse(client.get("/feeds/zh-hans/notices/hangzhou/atom.xml").content)
    assert [e.title for e in hangzhou.entries] == ["【红色预警】台风红色预警"]
    anji = feedparser.parse(client.get("/feeds/zh-hans/notices/anji/rss.xml").content)
    assert anji.entries == []
    assert client.get("/feeds/zh-hans/notices/atlantis/rss.xml").status_code == 404


def test_atom_entries_link_their_cap_alert(client, typhoon):
    feed = feedparser.parse(client.get("/feeds/zh-hans/notices/atom.xml").content)
    caps = [link.href for link in feed.entries[0].links if link.type == "application/cap+xml"]
    assert caps and caps[0].endswith(f"/feeds/zh-hans/notices/cap/{typhoon.pk}.xml")


def test_a_notice_as_a_cap_alert(client, typhoon):
    response = client.get(f"/feeds/zh-hans/notices/cap/{typhoon.pk}.xml")
    assert response["Content-Type"].startswith("application/cap+xml")
    alert = ET.fromstring(response.content)
    assert alert.tag == f"{CAP}alert"
    for name in ("identifier", "sender", "sent", "status", "msgType", "scope"):
        assert alert.find(f"{CAP}{name}").text
    assert alert.find(f"{CAP}status").text == "Actual"
    info = alert.find(f"{CAP}info")
    assert info.find(f"{CAP}severity").text == "Extreme"
    assert info.find(f"{CAP}urgency").text == "Immediate"
    assert info.find(f"{CAP}event").text == "红色预警"
    assert info.find(f"{CAP}headline").text == "台风红色预警"
    assert info.find(f"{CAP}expires").text.endswith("+08:00")
    area = info.find(f"{CAP}area")
    assert area.find(f"{CAP}areaDesc").text == "桐庐县"
    assert area.find(f"{CAP}geocode/{CAP}value").text == "330122"
    assert client.get("/feeds/zh-hans/notices/cap/999999.xml").status_code == 404
    # Past 64 bits no database compares an id: still "no such notice", not an error.
    huge = client.get("/feeds/zh-hans/notices/cap/99999999999999999999999.xml")
    assert huge.status_code == 404


def test_the_json_api_lists_notices_in_force_for_a_region(client, typhoon):
    response = client.get("/api/notices/", {"region": "tonglu"})
    data = json.loads(response.content)
    assert data["count"] == 1
    item = data["items"][0]
    assert item["level"] == "red" and item["level_name"] == "红色预警"
    assert item["areas"] == ["桐庐"]
    assert item["in_force"] is True
    assert json.loads(client.get("/api/notices/", {"region": "anji"}).content)["count"] == 0
    assert client.get("/api/notices/", {"region": "atlantis"}).status_code == 400
    assert client.get("/api/notices/", {"locale": "fr"}).status_code == 400


def test_the_widget_carries_the_notice_of_its_region(client, typhoon):
    html = client.get("/embed/lessons/", {"region": "tonglu"}).content.decode()
    assert "台风红色预警" in html and "红色预警</b>" in html
    other = client.get("/embed/lessons/", {"region": "anji"}).content.decode()
    assert "台风红色预警" not in other
    response = client.get("/embed/lessons/", {"region": "tonglu"})
    assert "ETag" not in response  # the clock decides, not the generation
