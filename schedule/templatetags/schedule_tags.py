"""``{% coming_broadcasts page %}``: on a lesson's page, when it will be on air."""

from django import template
from django.db import DatabaseError

from schedule import listing

register = template.Library()


@register.inclusion_tag("schedule/coming_broadcasts.html")
def coming_broadcasts(page):
    try:
        slots = listing.coming_for_lesson(page)
    except DatabaseError:
        slots = []
    names = {}
    for slot in slots:
        if slot.channel_id not in names:
            names[slot.channel_id] = listing.channel_name(slot.channel, page.locale)
    return {
        "broadcasts": [(slot, names[slot.channel_id]) for slot in slots],
        "schedule_url": f"/{page.locale.language_code}/schedule/",
    }
