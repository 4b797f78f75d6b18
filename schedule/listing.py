"""What the schedule shows, in China Standard Time: a channel's days, what is on now and
next, a week for the printed sheet, and a lesson's coming broadcasts. Every public
surface (pages, feeds, the SMS text) reads slots through here, so they agree."""

import dataclasses
import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale

from pioneer.core.public import public_pages
from schedule.models import Channel, Slot

TZ = ZoneInfo(settings.TIME_ZONE)  # China Standard Time: the schedule's own clock
DAYS_AHEAD = 7  # today and the coming seven days


def date_from(value):
    """The date an address's parameter names (``2026-12-04``), or None: not a date, or no
    such day (``2026-02-30``, which Django's parser raises on)."""
    from django.utils.dateparse import parse_date

    try:
        return parse_date(str(value or "")[:10])
    except ValueError:
        return None


def local_today(now=None):
    return timezone.localtime(now or timezone.now(), TZ).date()


def day_bounds(day):
    """[start, end) of a local day, as aware datetimes."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=TZ)
    return start, start + datetime.timedelta(days=1)


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def channels(locale):
    """The channels in ``locale``'s words: each channel, or its translation when there is
    one (slots belong to the source-language channel)."""
    source = list(Channel.objects.filter(locale__language_code=settings.LANGUAGE_CODE))
    translated = {
        channel.translation_key: channel for channel in Channel.objects.filter(locale=locale)
    }
    return [(channel, translated.get(channel.translation_key, channel)) for channel in source]


def find_channel(slug, locale):
    """(the source channel, its name in ``locale``) for ``slug``, or None."""
    for source, shown in channels(locale):
        if source.slug == slug:
            return source, shown
    return None


@dataclasses.dataclass
class Shown:
    """A slot as a learner reads it: the lesson's page in their language when it has one."""

    slot: Slot
    title: str
    url: str
    function_label: str
    region_label: str

    @property
    def starts_at(self):
        return self.slot.starts_at

    @property
    def ends_at(self):
        return self.slot.ends_at

    @property
    def minutes(self):
        return self.slot.minutes

    @property
    def repeat(self):
        return self.slot.repeat


def shown(slots, locale):
    """``slots`` in ``locale``: a linked lesson's public page in that language (its title
    and address), else the Chinese lesson's, else the slot's own title."""
    from lessons.models import LessonPage

    slots = list(slots)
    keys = {slot.lesson.translation_key for slot in slots if slot.lesson_id and slot.lesson}
    pages = {}
    if keys:
        for page in public_pages(LessonPage, locale=False).filter(translation_key__in=keys):
            if page.locale_id == locale.pk or page.translation_key not in pages:
                pages[page.translation_key] = page
    regions = _region_labels(locale)
    result = []
    for slot in slots:
        page = pages.get(slot.lesson.translation_key) if slot.lesson_id and slot.lesson else None
        result.append(
            Shown(
                slot=slot,
                title=page.title
                if page is not None and page.locale_id == locale.pk
                else slot.title,
                url=page.url if page is not None else "",
                function_label=str(slot.function_label()),
                region_label=regions.get(slot.region.translation_key, slot.region.label)
                if slot.region_id
                else "",
            )
        )
    return result


def _region_labels(locale):
    from pioneer.core.models import Region

    return {region.translation_key: region.label for region in Region.objects.filter(locale=locale)}


def slots_between(channel, start, end, function=None):
    queryset = (
        Slot.objects.filter(channel=channel, starts_at__lt=end, ends_at__gt=start)
        .select_related("lesson", "region")
        .order_by("starts_at")
    )
    if function:
        queryset = queryset.filter(function=function)
    return queryset


def now_and_next(channel, now=None):
    """(the slot on now or None, the next slot or None)."""
    now = now or timezone.now()
    on = (
        Slot.objects.filter(channel=channel, starts_at__lte=now, ends_at__gt=now)
        .select_related("lesson", "region")
        .first()
    )
    upcoming = (
        Slot.objects.filter(channel=channel, starts_at__gt=now)
        .select_related("lesson", "region")
        .order_by("starts_at")
        .first()
    )
    return on, upcoming


def days(channel, locale, today=None, count=DAYS_AHEAD + 1):
    """[(day, [Shown…])…] from ``today`` for ``count`` days."""
    today = today or local_today()
    start, _end = day_bounds(today)
    end = start + datetime.timedelta(days=count)
    by_day = {today + datetime.timedelta(days=n): [] for n in range(count)}
    for item in shown(slots_between(channel, start, end), locale):
        day = timezone.localtime(item.starts_at, TZ).date()
        if day in by_day:
            by_day[day].append(item)
    return list(by_day.items())


def coming_for_lesson(lesson, now=None, limit=3):
    """A lesson's broadcasts still to come (any language's page of it), soonest first."""
    now = now or timezone.now()
    return list(
        Slot.objects.filter(lesson__translation_key=lesson.translation_key, ends_at__gt=now)
        .select_related("channel")
        .order_by("starts_at")[:limit]
    )


def channel_name(channel, locale):
    """``channel``'s name in ``locale`` (its translation's), else its own."""
    translated = (
        Channel.objects.filter(translation_key=channel.translation_key, locale=locale)
        .only("name")
        .first()
    )
    return translated.name if translated is not None else channel.name


def source_locale():
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)
