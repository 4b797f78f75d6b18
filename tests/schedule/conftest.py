"""A channel with slots around now, for the schedule's tests."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale

from schedule.models import Channel, Slot
from tests.support.factories import region


def make_channel(slug="zjyj", name="浙江远程教育频道", region_slug="zhejiang"):
    return Channel.objects.create(
        name=name,
        slug=slug,
        region=region(region_slug),
        locale=Locale.objects.get(language_code="zh-hans"),
    )


def make_slot(channel, start, minutes=30, title="节目", **fields):
    slot = Slot(
        channel=channel,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        title=title,
        **fields,
    )
    slot.full_clean()
    slot.save()
    slot.save_revision()
    return slot


@pytest.fixture
def channel(db):
    return make_channel()


@pytest.fixture
def on_air(channel):
    """One slot on now, one next, one tomorrow evening."""
    now = timezone.now().replace(second=0, microsecond=0)
    return {
        "now": make_slot(channel, now - datetime.timedelta(minutes=10), title="正在播的节目"),
        "next": make_slot(channel, now + datetime.timedelta(minutes=20), title="下一个节目名"),
        "tomorrow": make_slot(
            channel, now + datetime.timedelta(days=1), title="明天的节目", repeat=True
        ),
    }
