"""节目单 in the admin: the province keeps every channel, a city its own channel's slots;
the week at a glance; a slot's form refuses overlaps and keeps the slot's history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schedule import listing
from schedule.models import Slot
from tests.schedule.conftest import make_channel, make_slot
from tests.support.editorial import make_user

pytestmark = pytest.mark.django_db

SLOTS = "/admin/snippets/schedule/slot/"


@pytest.fixture
def offices(db):
    return {
        "province": make_user("province-editor", "zhejiang", "editor"),
        "hangzhou": make_user("hangzhou-editor", "hangzhou", "editor"),
        "huzhou": make_user("huzhou-editor", "huzhou", "editor"),
        "tonglu": make_user("tonglu-editor", "tonglu", "editor"),
    }


def _form(slot, **changes):
    start = timezone.localtime(slot.starts_at, listing.TZ)
    end = timezone.localtime(slot.ends_at, listing.TZ)
    data = {
        "channel": slot.channel_id,
        "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": end.strftime("%Y-%m-%d %H:%M"),
        "title": slot.title,
        "lesson": "",
        "function": "",
        "region": "",
    }
    data.update(changes)
    return data


def test_a_city_keeps_its_own_channels_slots_only(client, offices):
    provincial = make_channel()
    city = make_channel("hzyj", "杭州远教频道", "hangzhou")
    start = timezone.now() + datetime.timedelta(hours=3)
    theirs = make_slot(city, start, title="杭州节目")
    ours = make_slot(provincial, start, title="省台节目")
    client.force_login(offices["hangzhou"])
    listing_html = client.get(SLOTS).content.decode()
    assert "杭州节目" in listing_html and "省台节目" not in listing_html
    assert client.get(f"{SLOTS}edit/{theirs.pk}/").status_code == 200
    assert client.post(f"{SLOTS}edit/{ours.pk}/", _form(ours, title="改")).status_code == 403
    client.force_login(offices["huzhou"])
    assert client.post(f"{SLOTS}edit/{theirs.pk}/", _form(theirs, title="改")).status_code == 403
    client.force_login(offices["province"])
    assert "杭州节目" in client.get(SLOTS).content.decode()


def test_a_county_office_has_no_schedule(client, offices):
    client.force_login(offices["tonglu"])
    assert client.get(SLOTS).status_code in (302, 403)


def test_an_overlapping_slot_is_refused_and_a_change_keeps_history(client, offices):
    channel = make_channel()
    start = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    first = make_slot(channel, start, minutes=40, title="第一个节目")
    second = make_slot(channel, start + datetime.timedelta(hours=1), title="第二个节目")
    client.force_login(offices["province"])
    moved = timezone.localtime(start + datetime.timedelta(minutes=20), listing.TZ)
    response = client.post(
        f"{SLOTS}edit/{second.pk}/", _form(second, starts_at=moved.strftime("%Y-%m-%d %H:%M"))
    )
    assert response.status_code == 200  # the form again
    assert "时间重叠" in response.content.decode()
    response = client.post(f"{SLOTS}edit/{first.pk}/", _form(first, title="改名的节目"))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title == "改名的节目"
    titles = [revision.content["title"] for revision in first.revisions.order_by("created_at")]
    assert titles == ["第一个节目", "改名的节目"]
    assert Slot.objects.count() == 2


def test_the_week_at_a_glance(client, offices):
    channel = make_channel()
    monday = listing.week_start(listing.local_today())
    start = datetime.datetime.combine(monday, datetime.time(19, 30), tzinfo=listing.TZ)
    slot = make_slot(channel, start + datetime.timedelta(days=2), title="周三晚上的节目")
    client.force_login(offices["province"])
    html = client.get(reverse("schedule_week")).content.decode()
    assert "周三晚上的节目" in html
    assert f"{SLOTS}edit/{slot.pk}/" in html
    for day in range(7):
        shown = monday + datetime.timedelta(days=day)
        assert f"{shown.month}月{shown.day}日" in html
    for week in ("not-a-date", "2026-02-30"):
        assert client.get(reverse("schedule_week"), {"week": week}).status_code == 200
    add = client.get(reverse("wagtailsnippets_schedule_slot:add"), {"day": "2026-02-30"})
    assert add.status_code == 200
    client.force_login(offices["tonglu"])
    assert client.get(reverse("schedule_week")).status_code in (302, 403)
