"""The learner's own region ("my region"): a county or city chosen once, kept in a cookie.

No login and no JavaScript: a plain form sets the cookie (``pioneer.http.views``). A page
stays one cached copy for all who chose a region: what differs by region (the urgent
notices at the top of each page) nginx fills in through a small include keyed by the
cookie's value. The home page's regional copies are kept under a key nginx builds from it
(deploy/nginx).
"""

from pioneer.caching.generation import memo
from pioneer.caching.nginx import REGION_COOKIE, REGION_SLUG, keyed_region
from pioneer.core.models import Region

COOKIE = REGION_COOKIE  # nginx reads it by this name ($cookie_region, deploy/nginx)
COOKIE_AGE = 365 * 24 * 3600
SLUG = REGION_SLUG  # what nginx accepts as the cookie's value; anything else is no choice


def chosen_slug(request):
    """The chosen region's slug (checked for shape only), or "": the one nginx keys this
    request's copy by, behind nginx (``pioneer.caching.nginx.keyed_region``)."""
    return keyed_region(request)


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
