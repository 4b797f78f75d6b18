"""Today's slots as a short text for an SMS or a WeChat message (schedule.sms), and its
address /feeds/<language>/schedule/<channel>/today.txt."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from wagtail.models import Locale

from pioneer.core.addresses import public_url
from pioneer.core.models import Region
from schedule import listing, sms
from schedule.models import Channel, Slot

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")
TODAY = listing.local_today()
NOW = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=CST)
WEEKDAYS = "一二三四五六日"


def at(days, hour, minute=0):
    return datetime.datetime.combine(
        TODAY + datetime.timedelta(days=days), datetime.time(hour, minute), tzinfo=CST
    )


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def zh():
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def channel(zh):
    province = Region.objects.get(slug="zhejiang", locale__language_code="zh-hans")
    return Channel.objects.create(name="浙江远程教育频道", slug="zjyj", region=province, locale=zh)


def add(channel, start, minutes, title, **fields):
    return Slot.objects.create(
        channel=channel,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        title=title,
        **fields,
    )


@pytest.fixture
def day(channel):
    # made out of order: the text is in time order whatever order they were entered in
    add(channel, at(0, 20, 10), 40, "农村电商入门", function="skills", repeat=True)
    add(channel, at(0, 8), 40, "早间党课", function="theory")
    add(channel, at(0, 19, 30), 40, "茶园冬季管理", function="skills")
    add(channel, at(0, 21), 30, "越剧选段")
    add(channel, at(-1, 20), 40, "昨天的节目", function="skills")
    add(channel, at(1, 19, 30), 40, "明天的节目", function="skills")


def test_todays_text_lists_todays_slots_in_time_order(channel, zh, day):
    text = sms.today_text(channel, zh)
    lines = text.split("\n")
    assert lines[0] == (
        f"浙江远程教育频道 {TODAY.month}月{TODAY.day}日（周{WEEKDAYS[TODAY.weekday()]}）节目："
    )
    assert lines[1:-1] == [
        "08:00 早间党课（思想理论教育）",
        "19:30 茶园冬季管理（实用技术培训）",
        "20:10 农村电商入门（实用技术培训，重播）",
        "21:00 越剧选段",
    ]
    assert lines[-1] == "详见 " + public_url("/zh-hans/schedule/zjyj/")
    assert len(text) <= sms.MAX_CHARS


def test_the_text_follows_chinas_day_not_utcs(channel, zh):
    # 07:30 in China is 23:30 UTC the day before: still today's slot in China
    add(channel, at(0, 7, 30), 30, "清晨节目")
    add(channel, at(0, 23, 30), 30, "深夜节目")
    add(channel, at(1, 0, 30), 30, "明天凌晨的节目")
    text = sms.today_text(channel, zh)
    assert "07:30 清晨节目" in text and "23:30 深夜节目" in text
    assert "明天凌晨" not in text


def test_a_long_day_is_cut_to_fit_keeping_what_is_to_come(channel, zh):
    for n in range(20):  # every 40 minutes from 06:00 on: the first nine have ended by noon
        add(
            channel,
            at(0, 6) + datetime.timedelta(minutes=40 * n),
            30,
            f"第{n + 1}讲 乡村振兴实务课堂",
        )
    text = sms.today_text(channel, zh)
    assert len(text) <= sms.MAX_CHARS
    lines = text.split("\n")
    assert lines[-2] == "等 20 个节目"
    listed = lines[1:-2]
    assert 3 <= len(listed) < 20
    times = [line[:5] for line in listed]
    assert times == sorted(times)
    # what has ended gives way first: the listed ones start with the one on now (11:20-11:50
    # ended; 12:00 is the tenth)
    assert listed[0].startswith("12:00 第10讲")


def test_a_long_title_is_cut(channel, zh):
    add(channel, at(0, 19), 30, "一个非常非常非常非常非常非常非常非常非常非常长的节目名称")
    line = sms.today_text(channel, zh).split("\n")[1]
    assert line.endswith("…")
    assert len(line) == len("19:00 ") + sms.TITLE_CHARS


def test_a_day_without_slots(channel, zh):
    add(channel, at(1, 19), 30, "明天的节目")
    text = sms.today_text(channel, zh)
    assert "今天没有节目" in text
    assert "明天的节目" not in text


def test_the_english_text_names_the_channel_in_english(channel, zh, day):
    en = Locale.objects.get(language_code="en")
    english = Channel.objects.create(
        name="Zhejiang Distance Education Channel",
        slug="zjyj",
        region=channel.region,
        locale=en,
        translation_key=channel.translation_key,
    )
    for given in (channel, english):  # the source channel or its translation: the same slots
        text = sms.today_text(given, en)
        assert text.startswith("Zhejiang Distance Education Channel ")
        assert re.search(r"^19:30 茶园冬季管理.*Practical Skills Training", text, re.M)
        assert text.endswith(public_url("/en/schedule/zjyj/"))


def test_the_text_at_its_address(client, channel, zh, day):
    response = client.get("/feeds/zh-hans/schedule/zjyj/today.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response.content.decode() == sms.today_text(channel, zh) + "\n"
    assert client.get("/feeds/zh-hans/schedule/nowhere/today.txt").status_code == 404
