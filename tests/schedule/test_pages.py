"""The schedule's pages: now and next, the coming week by day, the printable week, a
lesson's coming broadcasts; kept briefly by caches, since the clock moves them."""

import datetime

import pytest
from django.utils import timezone

from schedule import listing
from tests.schedule.conftest import make_channel, make_slot
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

PAGE = "/zh-hans/schedule/zjyj/"


def test_the_channel_page_says_what_is_on_now_and_next(client, on_air):
    response = client.get(PAGE)
    html = response.content.decode()
    now_next = html[html.index('class="now-next"') : html.index("</dl>")]
    assert "正在播的节目" in now_next and "下一个节目名" in now_next
    assert "明天的节目" not in now_next
    assert "明天的节目" in html  # in tomorrow's list, marked a repeat
    tomorrow = html[html.index("明天的节目") :]
    assert "重播" in tomorrow[:400]
    assert response["Cache-Control"] == "public, max-age=30"
    assert "ETag" not in response


def test_with_one_channel_the_schedule_is_its_page(client, on_air):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert "正在播的节目" in client.get("/zh-hans/schedule/").content.decode()
    # Its page costs what the channel's own address does: what is on is looked up once.
    counts = []
    for address in ("/zh-hans/schedule/", f"/zh-hans/schedule/{on_air['now'].channel.slug}/"):
        with CaptureQueriesContext(connection) as queries:
            client.get(address)
        counts.append(len(queries))
    assert counts[0] <= counts[1]


def test_with_several_channels_the_schedule_lists_each_now_and_next(client, on_air):
    other = make_channel("hzyj", "杭州远教频道", "hangzhou")
    make_slot(other, timezone.now() - datetime.timedelta(minutes=5), title="杭州正在播")
    html = client.get("/zh-hans/schedule/").content.decode()
    assert "浙江远程教育频道" in html and "杭州远教频道" in html
    assert "正在播的节目" in html and "杭州正在播" in html


def test_an_unknown_channel_is_a_404(client, on_air):
    assert client.get("/zh-hans/schedule/nosuch/").status_code == 404


def test_a_slot_linked_to_a_lesson_links_its_page(client, channel):
    lesson = make_lesson("柑橘冬季清园")
    make_slot(channel, timezone.now() + datetime.timedelta(hours=2), title="柑橘", lesson=lesson)
    html = client.get(PAGE).content.decode()
    assert f'href="{lesson.url}"' in html
    assert "柑橘冬季清园" in html  # the lesson's own title


def test_the_days_run_from_today_for_a_week(channel):
    today = listing.local_today()
    days = listing.days(channel, channel.locale)
    assert [day for day, _items in days] == [today + datetime.timedelta(days=n) for n in range(8)]


def test_the_printed_week_runs_monday_to_sunday(client, on_air):
    response = client.get(PAGE + "print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="week-day"') == 7
    assert 'class="print-week"' in html
    # Any day of a week prints that week; a date far off or not a date prints this one.
    far = client.get(PAGE + "print/", {"week": "2001-01-01"}).content.decode()
    garbage = client.get(PAGE + "print/", {"week": "x" * 500}).content.decode()
    no_such_day = client.get(PAGE + "print/", {"week": "2026-02-30"})
    assert no_such_day.status_code == 200
    monday = listing.week_start(listing.local_today())
    for page in (far, garbage, no_such_day.content.decode()):
        assert f"?week={(monday - datetime.timedelta(days=7)).isoformat()}" in page


def test_a_crowded_week_prints_in_smaller_type(client, channel):
    monday = listing.week_start(listing.local_today())
    start = datetime.datetime.combine(monday, datetime.time(6), tzinfo=listing.TZ)
    for day in range(7):
        for hour in range(7):
            make_slot(channel, start + datetime.timedelta(days=day, hours=hour), title="节目")
    assert 'class="print-week dense"' in client.get(PAGE + "print/").content.decode()
    for hour in range(4):
        make_slot(channel, start + datetime.timedelta(hours=7 + hour), title="更多节目")
    assert 'class="print-week crowded"' in client.get(PAGE + "print/").content.decode()


def test_a_lesson_page_shows_its_coming_broadcasts_not_past_ones(client, channel):
    lesson = make_lesson("茶园冬季管理")
    now = timezone.now()
    make_slot(channel, now - datetime.timedelta(days=1), title="昨天", lesson=lesson)
    coming = make_slot(channel, now + datetime.timedelta(days=2), title="后天", lesson=lesson)
    html = client.get(lesson.url).content.decode()
    section = html[html.index('class="coming-broadcasts"') :]
    when = timezone.localtime(coming.starts_at, listing.TZ)
    assert f"{when:%H:%M} 在浙江远程教育频道播出" in section
    assert section.count("<li>") == 1


def test_a_lesson_without_broadcasts_shows_nothing_of_them(client):
    lesson = make_lesson("没有播出安排的课程")
    assert "coming-broadcasts" not in client.get(lesson.url).content.decode()


def test_english_names_the_channel_in_english_when_translated(channel):
    from wagtail.models import Locale

    english = channel.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = "Zhejiang Distance Education Channel"
    english.save()
    source, named = listing.find_channel("zjyj", english.locale)
    assert source == channel and named.name == "Zhejiang Distance Education Channel"
    assert listing.channel_name(channel, english.locale) == named.name
