"""What phones, set-top boxes and partners subscribe to of the schedule, under
``/feeds/<language>/schedule/``:

- ``<channel>.ics[?function=]``: iCalendar (RFC 5545), the channel's slots from the start of
  today through the coming ``listing.DAYS_AHEAD`` days, for a station manager's phone
  calendar; ``function`` keeps one of the five functions;
- ``<channel>.xml``: XMLTV, the same window, for set-top boxes and broadcast tools;
- ``<channel>/rss.xml`` and ``<channel>/atom.xml``: the slots not yet ended in that window;
- ``<channel>/today.txt``: today's slots as a short text for an SMS or a WeChat message
  (``schedule.sms``).

Every one reads the slots through ``schedule.listing`` (``days``, ``shown``), so they give
what the channel's page shows. Times are China Standard Time and each format says so: a
VTIMEZONE and TZID in the calendar, ``+0800`` in XMLTV, "（北京时间）" in the feeds' text.
Each answer depends on the clock (the window moves with the day), so it is kept a few
minutes (Cache-Control) rather than until the content changes.
"""

import datetime
import xml.etree.ElementTree as ET

import icalendar
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from pioneer.core.addresses import public_url, site_origin
from pioneer.core.five_functions import Function, parse_function
from pioneer.core.i18n import locale_or_404
from schedule import listing

FEED_MAX_AGE = 300  # seconds: calendars, XMLTV and the feeds
TEXT_MAX_AGE = 60  # seconds: today's text (what is past and what is to come moves sooner)
XMLTV_LANG = {"zh-hans": "zh", "en": "en"}
# China has kept +08:00 without daylight saving since 1991: the VTIMEZONE from then on is one
# STANDARD rule, and the same in every answer.
VTIMEZONE_FROM = datetime.date(1992, 1, 1)


class BadFunction(ValueError):
    pass


# -- shared ------------------------------------------------------------------------------


def locale_for(language):
    """The locale of ``language`` (``zh-hans`` or ``en``), else 404."""
    return locale_or_404(language)


def channel_for(slug, locale):
    """(the source channel, the channel in ``locale``'s words), else 404."""
    found = listing.find_channel(slug, locale)
    if found is None:
        raise Http404("no such channel")
    return found


def channel_page_path(language, slug):
    """The channel's schedule page (``SchedulePage``'s channel route)."""
    return f"/{language}/schedule/{slug}/"


def function_from(request):
    """The ``?function=`` asked for (its code, or its Chinese name as import files give it),
    None when none is asked; ``BadFunction`` for anything else."""
    value = request.GET.get("function", "").strip()
    if not value:
        return None
    function = parse_function(value[:40])
    if function is None:
        raise BadFunction(value[:40])
    return function


def bad_function(value):
    text = _("未知的功能分类“%(value)s”。可用：%(codes)s") % {
        "value": value,
        "codes": "、".join(f"{choice.value}（{choice.label}）" for choice in Function),
    }
    return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")


def window(source, locale, function=None, today=None):
    """The ``Shown`` slots of the channel's page, in time order: from the start of today
    (China time) through the coming ``listing.DAYS_AHEAD`` days; of ``function`` only when
    one is given. Call it with ``locale``'s language active (the labels are translated)."""
    items = [
        item for _day, day_items in listing.days(source, locale, today=today) for item in day_items
    ]
    if function:
        items = [item for item in items if item.slot.function == function]
    return items


def titled(item):
    """The slot's title in the language, marked when it is a repeat."""
    if item.repeat:
        return _("%(title)s（重播）") % {"title": item.title}
    return item.title


def when(item):
    """ "2025-12-04 19:30 至 20:10（北京时间）": the slot's time range, China time."""
    start = timezone.localtime(item.starts_at, listing.TZ)
    end = timezone.localtime(item.ends_at, listing.TZ)
    return _("%(start)s 至 %(end)s（北京时间）") % {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": end.strftime("%H:%M" if end.date() == start.date() else "%Y-%m-%d %H:%M"),
    }


def details(item):
    """Function, region and repeat of a slot, one line."""
    parts = []
    if item.function_label:
        parts.append(_("功能分类：%(function)s") % {"function": item.function_label})
    if item.region_label:
        parts.append(_("地区：%(region)s") % {"region": item.region_label})
    parts.append(_("重播") if item.repeat else _("首播"))
    return pgettext("list separator", "；").join(parts)


def lesson_url(item):
    return public_url(item.url) if item.url else ""


def lesson_summaries(items, locale):
    """{slot pk: the linked lesson's summary in ``locale``} for the lessons that have a
    public page in that language (``listing.shown`` gives titles and addresses only)."""
    from lessons.models import LessonPage
    from pioneer.core.public import public_pages

    keys = {
        item.slot.lesson.translation_key
        for item in items
        if item.slot.lesson_id and item.slot.lesson
    }
    if not keys:
        return {}
    pages = public_pages(LessonPage, locale=locale).filter(translation_key__in=keys)
    summaries = {
        page.translation_key: page.summary for page in pages.only("translation_key", "summary")
    }
    return {
        item.slot.pk: summaries[item.slot.lesson.translation_key]
        for item in items
        if item.slot.lesson_id
        and item.slot.lesson
        and summaries.get(item.slot.lesson.translation_key)
    }


def _host():
    return site_origin()[0]


def _kept(response, seconds=FEED_MAX_AGE):
    response["Cache-Control"] = f"public, max-age={seconds}"
    return response


# -- iCalendar ---------------------------------------------------------------------------


@require_safe
def ics(request, language, channel):
    """``<channel>.ics[?function=]``: the channel's week as an iCalendar subscription."""
    locale = locale_for(language)
    source, named = channel_for(channel, locale)
    try:
        function = function_from(request)
    except BadFunction as error:
        with translation.override(language):
            return bad_function(str(error))
    with translation.override(language):
        body = calendar(source, named, locale, function).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    return _kept(response)


def calendar(source, named, locale, function=None, today=None):
    """The ``icalendar.Calendar`` of ``window``; ``locale``'s language active."""
    language = locale.language_code
    name = named.name
    if function:
        name = f"{name} · {Function(function).label}"
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{_host()}//Shidai Xianfeng schedule//{XMLTV_LANG[language].upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", _("%(site)s 节目单（北京时间）") % {"site": _("时代先锋网")})
    cal.add("x-wr-timezone", str(listing.TZ))
    # How often a subscribed calendar should fetch it again (RFC 7986, and Outlook's own).
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    host = _host()
    page = public_url(channel_page_path(language, source.slug))
    for item in window(source, locale, function, today=today):
        event = icalendar.Event()
        event.add("uid", f"slot-{item.slot.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(item.starts_at, listing.TZ))
        event.add("dtend", timezone.localtime(item.ends_at, listing.TZ))
        event.add("summary", titled(item))
        url = lesson_url(item)
        lines = [details(item)]
        if url:
            lines.append(_("在线观看：%(url)s") % {"url": url})
        lines.append(_("节目单：%(url)s") % {"url": page})
        event.add("description", "\n".join(lines))
        event.add("url", url or page)
        if item.function_label:
            event.add("categories", [item.function_label])
        if named.description:
            event.add("location", f"{named.name}（{named.description}）")
        else:
            event.add("location", named.name)
        cal.add_component(event)
    cal.add_missing_timezones(first_date=VTIMEZONE_FROM)
    if not cal.timezones:  # an empty week: the calendar still states its time zone
        cal.add_component(icalendar.Timezone.from_tzinfo(listing.TZ, first_date=VTIMEZONE_FROM))
    return cal


# -- XMLTV -------------------------------------------------------------------------------


def xmltv_time(value):
    """XMLTV's "YYYYMMDDhhmmss +0800", China time."""
    return timezone.localtime(value, listing.TZ).strftime("%Y%m%d%H%M%S %z")


@require_safe
def xmltv(request, language, channel):
    """``<channel>.xml``: the channel's window in XMLTV, as set-top boxes read it."""
    locale = locale_for(language)
    source, named = channel_for(channel, locale)
    with translation.override(language):
        body = xmltv_document(source, named, locale)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    return _kept(response)


def xmltv_document(source, named, locale, today=None):
    """The XMLTV document (bytes) of ``window``; ``locale``'s language active."""
    language = locale.language_code
    lang = XMLTV_LANG[language]
    page = public_url(channel_page_path(language, source.slug))
    tv = ET.Element(
        "tv",
        {
            "source-info-name": _("时代先锋网"),
            "source-info-url": page,
            "generator-info-name": "时代先锋网",
            "generator-info-url": public_url("/"),
        },
    )
    element = ET.SubElement(tv, "channel", {"id": source.slug})
    ET.SubElement(element, "display-name", {"lang": lang}).text = named.name
    ET.SubElement(element, "url").text = page
    items = window(source, locale, today=today)
    summaries = lesson_summaries(items, locale)
    for item in items:
        programme = ET.SubElement(
            tv,
            "programme",
            {
                "start": xmltv_time(item.starts_at),
                "stop": xmltv_time(item.ends_at),
                "channel": source.slug,
            },
        )
        ET.SubElement(programme, "title", {"lang": lang}).text = item.title
        desc = [summaries.get(item.slot.pk, ""), details(item)]
        ET.SubElement(programme, "desc", {"lang": lang}).text = "\n".join(filter(None, desc))
        if item.function_label:
            ET.SubElement(programme, "category", {"lang": lang}).text = item.function_label
        ET.SubElement(programme, "length", {"units": "minutes"}).text = str(item.minutes)
        if item.url:
            ET.SubElement(programme, "url").text = lesson_url(item)
        ET.SubElement(programme, "previously-shown" if item.repeat else "premiere")
    ET.indent(tv)
    return ET.tostring(tv, encoding="utf-8", xml_declaration=True)


# -- RSS and Atom ------------------------------------------------------------------------


class _BuiltNow:
    """An item's date is its slot's start, ahead of now: the feed says when it was built
    (RSS's lastBuildDate, Atom's updated), not when its last slot starts."""

    def latest_post_date(self):
        return min(super().latest_post_date(), timezone.now())


class ScheduleRss(_BuiltNow, Rss201rev2Feed):
    pass


class ScheduleAtom(_BuiltNow, Atom1Feed):
    pass


def _feed(request, language, channel, feed_type):
    locale = locale_for(language)
    source, named = channel_for(channel, locale)
    try:
        function = function_from(request)
    except BadFunction as error:
        with translation.override(language):
            return bad_function(str(error))
    now = timezone.now()
    with translation.override(language):
        page = public_url(channel_page_path(language, source.slug))
        title = _("%(channel)s节目单") % {"channel": named.name}
        if function:
            title = f"{title} · {Function(function).label}"
        feed = feed_type(
            title=f"{title} - {_('时代先锋网')}",
            link=page,
            description=_("未来 %(days)d 天将要播出的节目（北京时间）")
            % {"days": listing.DAYS_AHEAD},
            language=language,
            feed_url=public_url(request.path),
        )
        host = _host()
        for item in window(source, locale, function):
            if item.ends_at <= now:
                continue
            start = timezone.localtime(item.starts_at, listing.TZ)
            url = lesson_url(item)
            feed.add_item(
                title=f"{start:%m-%d %H:%M} {titled(item)}",
                link=url or page,
                description="\n".join([when(item), details(item)]),
                pubdate=item.starts_at,
                updateddate=item.starts_at,
                unique_id=f"tag:{host},2025:schedule-slot-{item.slot.pk}",
                unique_id_is_permalink=False,
                categories=[item.function_label] if item.function_label else None,
            )
    response = HttpResponse(content_type=feed.content_type)
    feed.write(response, "utf-8")
    return _kept(response)


@require_safe
def rss(request, language, channel):
    return _feed(request, language, channel, ScheduleRss)


@require_safe
def atom(request, language, channel):
    return _feed(request, language, channel, ScheduleAtom)


# -- today's text ------------------------------------------------------------------------


@require_safe
def today_text(request, language, channel):
    """``<channel>/today.txt``: today's slots as a short text (``schedule.sms``)."""
    from schedule import sms

    locale = locale_for(language)
    source, _named = channel_for(channel, locale)
    text = sms.today_text(source, locale)
    response = HttpResponse(text + "\n", content_type="text/plain; charset=utf-8")
    return _kept(response, TEXT_MAX_AGE)
