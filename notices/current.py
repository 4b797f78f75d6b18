"""Which notices are in force, for whom: read on every page, so it costs no query while
nothing has been published.

The live notices that have not ended yet are read once per language and content
generation (``memo``); which of them is in force is then decided against the clock on
each request, so a notice appears at its start and disappears at its end with nothing
published in between. Regions are compared by translation key, so a notice filed under
the Chinese regions concerns the same counties in English.
"""

import dataclasses
import datetime
import logging

from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.models import Locale

from pioneer.caching.generation import memo
from pioneer.core.models import Region
from pioneer.core.my_region import chosen_region, region_by_slug, region_chain

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Current:
    """What a banner, a feed or the widget shows of a notice."""

    pk: int
    title: str
    summary: str
    level: str
    level_label: str
    issuer: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    url: str
    area_keys: frozenset
    area_names: tuple

    @property
    def severity(self):
        from notices.models import SEVERITY

        return SEVERITY.get(self.level, 9)

    def in_force(self, now):
        return self.starts_at <= now < self.ends_at


def _unended(locale_pk):
    from notices.models import notices_for

    locale = Locale.objects.get(pk=locale_pk)
    now = timezone.now()
    pages = (
        notices_for(locale)
        .filter(ends_at__gt=now)
        .select_related("region")
        .prefetch_related("areas")
        .order_by("starts_at", "pk")
    )
    found = []
    for page in pages:
        areas = page.area_regions()
        found.append(
            Current(
                pk=page.pk,
                title=page.title,
                summary=page.summary,
                level=page.level,
                level_label=str(page.get_level_display()),
                issuer=page.issuer_label,
                starts_at=page.starts_at,
                ends_at=page.ends_at,
                url=page.get_url() or "",
                area_keys=frozenset(area.translation_key for area in areas),
                area_names=tuple(area.label for area in areas),
            )
        )
    return tuple(found)


_read_locales = set()  # the languages whose notices this process has read (``clock_state``)


def unended(locale):
    """Live notices of ``locale`` that had not ended when the generation began."""
    _read_locales.add(locale.pk)
    return memo(("notices-unended", locale.pk), lambda: _unended(locale.pk))


def in_force(locale, region=None, now=None, *, everywhere=False):
    """The notices in force now, most severe first: those concerning ``region`` (a notice
    for a region concerns every region below it), or with ``region`` None those for the
    whole province; ``everywhere`` gives all of them."""
    now = now or timezone.now()
    notices = [notice for notice in unended(locale) if notice.in_force(now)]
    if not everywhere:
        keys = {r.translation_key for r in region_chain(region)} if region else set()
        keys |= province_keys(locale)
        notices = [notice for notice in notices if notice.area_keys & keys]
    return sorted(notices, key=lambda notice: (notice.severity, -notice.starts_at.timestamp()))


def concerning(locale, region, now=None):
    """For a region's feed: the notices concerning ``region``, those above it and those
    for any region below it (a city's feed carries its counties' notices)."""
    now = now or timezone.now()
    keys = {r.translation_key for r in region_chain(region)}
    keys |= set(Region.subtree(region).values_list("translation_key", flat=True))
    return [notice for notice in unended(locale) if notice.area_keys & keys]


def province_keys(locale):
    return memo(
        ("province-keys", locale.pk),
        lambda: frozenset(
            Region.objects.filter(level=Region.Level.PROVINCE).values_list(
                "translation_key", flat=True
            )
        ),
    )


def chosen_region_for(request, locale):
    return chosen_region(request, locale)


def banner_context(locale, region, now=None):
    """The notices for a learner of ``region``; the others are on the notices' page (in
    the menu), not at the top of every page, whose first screen is the learner's."""
    return {"notices": in_force(locale, region, now or timezone.now()), "region": region}


def render_banner(locale, region_slug, quiet=True):
    """The banner for a learner of the region ``region_slug`` ("" or "-": none chosen):
    the notices in force for them. ``quiet``:
    empty when the database cannot be read (a notice never keeps a page from being shown);
    else the error is raised (nginx then shows its last copy)."""
    try:
        region = region_by_slug(region_slug, locale) if region_slug not in ("", "-") else None
        if region is not None and region.level == Region.Level.PROVINCE:
            region = None
        context = banner_context(locale, region)
    except DatabaseError as error:
        logger.warning("Notices could not be read: %s", error)
        if not quiet:
            raise
        return ""
    if not context["notices"]:
        return ""
    with translation.override(locale.language_code):
        return render_to_string("notices/banner.html", context)


def clock_state(request):
    """Which notices are in force now, in every language: a page rendered with its notices
    in it (no nginx include) gets a new ETag when one starts or ends. Read from what this
    process holds for the generation only (no query before a request is even routed); not
    held yet, the tag says so, and the page is rendered once more."""
    from pioneer.caching.generation import peek

    now = timezone.now()
    states = []
    if not _read_locales:
        return "unread"
    for locale_pk in sorted(_read_locales):
        notices = peek(("notices-unended", locale_pk))
        if notices is None:
            return "unread"
        states += [str(notice.pk) for notice in notices if notice.in_force(now)]
    return ",".join(states) if states else "none"
