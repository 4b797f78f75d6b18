"""The learner's own region ("my region"): a county or city chosen once, kept in a cookie.

No login and no JavaScript: a plain form sets the cookie (``pioneer.http.views``). Pages
stay one cached copy for everyone: what differs by region (the urgent notices at the top
of each page) nginx fetches through a small include keyed by the cookie's value, and the
home page's regional copies are kept under a key nginx builds from it (deploy/nginx).
"""

import re

from pioneer.caching.generation import memo
from pioneer.core.models import Region

COOKIE = "region"  # nginx reads it by this name ($cookie_region, deploy/nginx/pioneer.conf)
COOKIE_AGE = 365 * 24 * 3600
# What nginx accepts as the cookie's value; anything else counts as no choice.
SLUG = re.compile(r"[a-z0-9-]{1,50}")


def chosen_slug(request):
    """The chosen region's slug as the cookie holds it (checked for shape only), or ""."""
    value = request.COOKIES.get(COOKIE, "") if request is not None else ""
    return value if SLUG.fullmatch(value) else ""


def region_by_slug(slug, locale):
    """The region of ``locale`` with ``slug`` (looked up once per content generation)."""
    if not slug or not SLUG.fullmatch(slug):
        return None
    regions = memo(
        ("regions-by-slug", locale.pk),
        lambda: {
            region.slug: region
            for region in Region.objects.filter(locale=locale).select_related(
                "parent", "parent__parent"
            )
        },
    )
    return regions.get(slug)


def chosen_region(request, locale):
    """The region the learner chose, in ``locale``, or None (none chosen, or the province,
    which is what everyone sees anyway)."""
    region = region_by_slug(chosen_slug(request), locale)
    if region is None or region.level == Region.Level.PROVINCE:
        return None
    return region


def region_chain(region):
    """``region`` and the regions above it: whose notices concern a learner there."""
    return [region, *region.ancestors()] if region is not None else []
