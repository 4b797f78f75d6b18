"""The one rule for what the public may see.

Every public surface (pages, listings, search, feeds, API, sitemap, embeds) builds its
querysets through :func:`public_pages`, so a draft, a scheduled, an expired or a
view-restricted page never leaks through one surface while the others hide it.
"""

from django.utils import timezone
from wagtail.models import Locale, Page


def public_pages(queryset=None, locale=None, searchable=False):
    """Live pages without a view restriction, not past their expiry, in ``locale``.

    Aliases are left out: in a synchronised locale tree an alias is a page nobody has
    translated yet (its text is another language's), and elsewhere it repeats a page
    that is listed already.

    ``locale`` defaults to the active language's locale; pass ``False`` for all locales.
    ``searchable=True`` leaves out the expiry and alias conditions, which search
    backends cannot filter on: callers drop those results with :func:`hidden_from_search`
    (``publish_scheduled`` unpublishes expired pages within a minute anyway).
    """
    if queryset is None:
        queryset = Page.objects.all()
    elif hasattr(queryset, "objects"):
        queryset = queryset.objects.all()
    queryset = queryset.live().public()
    if not searchable:
        queryset = queryset.filter(alias_of__isnull=True).exclude(expire_at__lte=timezone.now())
    if locale is None:
        locale = Locale.get_active()
    if locale is not False:
        queryset = queryset.filter(locale=locale)
    return queryset


def is_public(page):
    """Whether a single page may be shown to the public."""
    return public_pages(Page.objects.filter(pk=page.pk), locale=False).exists()


def is_expired(page):
    return page.expire_at is not None and page.expire_at <= timezone.now()


def hidden_from_search(page):
    """What ``public_pages(searchable=True)`` could not filter out in the backend."""
    return is_expired(page) or page.alias_of_id is not None
