"""The demo's urgent notices (site/data/demo/notices.jsonl): one in force for a county until a
week after ``load_demo`` runs, and one that ended a month ago, so a newcomer sees the banner,
the list and the feeds. Times are given in hours from the moment the demo is loaded.
Written for the demo; they describe no real event."""

import datetime
import html
import json

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText
from wagtail_localize.synctree import create_aliases_for_new_page

from notices.models import NoticeIndexPage, NoticePage
from pioneer.core.models import Region
from pioneer.core.regions import DATA_DIR

NOTICES_FILE = DATA_DIR / "demo" / "notices.jsonl"


def _records():
    with NOTICES_FILE.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_demo_notices(locale):
    """Creates and publishes the demo's notices under the notice index of ``locale`` (as
    an office's reviewer would: validated, saved as a revision, published); a notice whose
    slug is there already is left alone. Returns (created now, notices in all)."""
    index = NoticeIndexPage.objects.get(locale=locale)
    regions = {region.slug: region for region in Region.objects.filter(locale=locale)}
    now = timezone.now()
    created = 0
    for record in _records():
        if index.get_children().filter(slug=record["slug"]).exists():
            continue
        page = NoticePage(
            title=record["title"],
            slug=record["slug"],
            level=record["level"],
            summary=record["summary"],
            region=regions[record["region"]],
            issuer=record.get("issuer", ""),
            starts_at=now + datetime.timedelta(hours=record["starts_hours"]),
            ends_at=now + datetime.timedelta(hours=record["ends_hours"]),
            details=[
                ("paragraph", RichText(f"<p>{html.escape(text)}</p>")) for text in record["details"]
            ],
        )
        page.areas = [regions[slug] for slug in record.get("areas", ())]
        with transaction.atomic():
            index.add_child(instance=page)
            page.full_clean()
            page.save_revision().publish()
            # As the admin's add form does (wagtail-localize's after_create_page hook):
            # the synchronised English tree gets its alias.
            create_aliases_for_new_page(page)
        created += 1
    return created, NoticePage.objects.filter(locale=locale).count()
