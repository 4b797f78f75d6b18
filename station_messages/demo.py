"""The demo's messages (site/data/demo/messages.jsonl): answered ones, most published as
questions and answers, so a newcomer sees the form's result in the admin and on the public
list. Written for the demo; no real person's data."""

import json

from django.db import transaction
from django.utils.dateparse import parse_datetime

from pioneer.core.regions import DATA_DIR
from station_messages.models import StationMessage

MESSAGES_FILE = DATA_DIR / "demo" / "messages.jsonl"


def _records():
    with MESSAGES_FILE.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@transaction.atomic
def load_demo_messages(locale):
    """Creates the demo's messages for the regions of ``locale`` (the source language);
    a message already there (same region and text) is left alone. Returns the number
    created."""
    from pioneer.core.models import Region

    regions = {region.slug: region for region in Region.objects.filter(locale=locale)}
    created = 0
    for record in _records():
        region = regions[record["region"]]
        if StationMessage.objects.filter(region=region, text=record["text"]).exists():
            continue
        message = StationMessage(
            region=region,
            topic=record["topic"],
            text=record["text"],
            phone=record.get("phone", ""),
            created_at=parse_datetime(record["created_at"]),
            consent_to_publish=record.get("consent_to_publish", False),
            status=record.get("status", StationMessage.Status.NEW),
            reply=record.get("reply", ""),
            replied_at=parse_datetime(record["replied_at"]) if record.get("replied_at") else None,
            public_question=record.get("public_question", ""),
            published=record.get("published", False),
        )
        message.full_clean()
        message.save()
        created += 1
    return created
