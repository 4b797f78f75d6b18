"""The schedule's public pages (the routes of ``SchedulePage``): every channel now and next,
one channel's coming week, and its printable weekly sheet."""

import datetime

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from pioneer.core.five_functions import Function
from schedule import listing

TIMED_MAX_AGE = 30  # nginx and browsers keep these briefly: "now" moves with the clock
WEEKS_SHOWN = 4  # how far the printed sheet may look ahead (and back)
# A day with more slots than these prints in smaller type, so the week stays one sheet.
DENSE_ABOVE, CROWDED_ABOVE = 6, 10


def _timed(response):
    response["Cache-Control"] = f"public, max-age={TIMED_MAX_AGE}"
    return response


def _context(page, request, **values):
    context = page.get_context(request)
    context.update(values)
    return context


def schedule_index(page, request):
    locale = page.locale
    now = timezone.now()
    channels = listing.channels(locale)
    if len(channels) == 1:  # one channel: its page is the schedule (worked out there once)
        return channel_schedule(page, request, channels[0][0].slug, found=channels[0])
    rows = []
    for source, named in channels:
        on, upcoming = listing.now_and_next(source, now)
        shown = listing.shown([slot for slot in (on, upcoming) if slot], locale)
        rows.append(
            {
                "channel": named,
                "slug": source.slug,
                "now": shown[0] if on else None,
                "next": shown[-1] if upcoming else None,
            }
        )
    context = _context(page, request, rows=rows)
    return _timed(TemplateResponse(request, "schedule/schedule_page.html", context))


def _channel(page, slug):
    found = listing.find_channel(slug, page.locale)
    if found is None:
        raise Http404("no such channel")
    return found


def channel_schedule(page, request, slug, found=None):
    """``found``: the channel as the schedule's page has looked it up already."""
    source, named = found or _channel(page, slug)
    locale = page.locale
    now = timezone.now()
    on, upcoming = listing.now_and_next(source, now)
    now_next = listing.shown([slot for slot in (on, upcoming) if slot], locale)
    context = _context(
        page,
        request,
        channel=named,
        slug=source.slug,
        now_item=now_next[0] if on else None,
        next_item=now_next[-1] if upcoming else None,
        days=listing.days(source, locale),
        today=listing.local_today(now),
        now=now,
        functions=Function.choices,
    )
    return _timed(TemplateResponse(request, "schedule/channel_page.html", context))


def _density(most):
    if most > CROWDED_ABOVE:
        return "crowded"
    return "dense" if most > DENSE_ABOVE else ""


def printed_week(page, request, slug):
    """One A4 sheet: the week (Monday to Sunday) of ``?week=`` (any day of it, within
    a few weeks of today), this week by default."""
    source, named = _channel(page, slug)
    today = listing.local_today()
    day = listing.date_from(request.GET.get("week"))
    if day is None or abs((day - today).days) > 7 * WEEKS_SHOWN:
        day = today
    monday = listing.week_start(day)
    days = listing.days(source, page.locale, today=monday, count=7)
    context = _context(
        page,
        request,
        channel=named,
        slug=source.slug,
        days=days,
        monday=monday,
        sunday=monday + datetime.timedelta(days=6),
        previous_week=monday - datetime.timedelta(days=7),
        next_week=monday + datetime.timedelta(days=7),
        density=_density(max((len(items) for _day, items in days), default=0)),
    )
    return _timed(TemplateResponse(request, "schedule/print_week.html", context))
