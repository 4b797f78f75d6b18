"""The demo's channel and a week of its slots (site/data/demo/schedule.jsonl), around the day
``load_demo`` runs: from yesterday to six days ahead, in China Standard Time, some linked
to demo lessons, some repeats, so a newcomer sees a live schedule. Each slot is checked
and saved with a revision, as the admin's form saves it; one already there (same
channel and start) is left alone."""

import datetime
import json

from django.db import transaction
from wagtail.models import Locale

from lessons.models import LessonPage
from pioneer.core.models import Region
from pioneer.core.regions import DATA_DIR
from schedule import listing
from schedule.models import Channel, Slot

SCHEDULE_FILE = DATA_DIR / "demo" / "schedule.jsonl"


def _records():
    with SCHEDULE_FILE.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@transaction.atomic
def load_demo_schedule(locale, today=None):
    """Returns (slots created now, slots in all)."""
    today = today or listing.local_today()
    regions = {region.slug: region for region in Region.objects.filter(locale=locale)}
    channels, created = {}, 0
    for record in _records():
        if record["type"] == "channel":
            channel, _new = Channel.objects.get_or_create(
                slug=record["slug"],
                locale=locale,
                defaults={
                    "name": record["name"],
                    "region": regions[record["region"]],
                    "description": record.get("description", ""),
                },
            )
            channels[channel.slug] = channel
            english = Locale.objects.filter(language_code="en").first()
            if english is not None and record.get("name_en"):
                if channel.get_translation_or_none(english) is None:
                    translated = channel.copy_for_translation(english)
                    translated.name = record["name_en"]
                    translated.save()
            continue
        channel = channels[record["channel"]]
        day = today + datetime.timedelta(days=record["day"])
        hour, minute = (int(part) for part in record["time"].split(":"))
        start = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=listing.TZ)
        if Slot.objects.filter(channel=channel, starts_at=start).exists():
            continue
        lesson = None
        if record.get("lesson"):
            lesson = LessonPage.objects.get(slug=record["lesson"], locale=locale)
        slot = Slot(
            channel=channel,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=record["minutes"]),
            title=record.get("title") or lesson.title,
            lesson=lesson,
            function=record.get("function") or (lesson.function if lesson else ""),
            repeat=record.get("repeat", False),
        )
        slot.full_clean()
        slot.save()
        slot.save_revision()
        created += 1
    return created, Slot.objects.count()
