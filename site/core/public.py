"""The one rule for what the public may see.

Every public surface (pages, listings, search, feeds, API, sitemap, embeds) builds its
querysets through :func:`public_pages`, so a draft, a scheduled, an expired or a
view-restricted page never leaks through one surface while the others hide it.
"""

from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale, Page, PageViewRestriction

from pioneer.caching.generation import memo


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
    queryset = queryset.live()
    for path in restricted_paths():  # Wagtail's .public(), without its query each time
        queryset = queryset.exclude(path__startswith=path)
    if not searchable:
        queryset = queryset.filter(alias_of__isnull=True).exclude(expire_at__lte=timezone.now())
    if locale is None:
        locale = active_locale()
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
    return hidden(page.expire_at, page.alias_of_id)


def hidden(expire_at, alias_of_id, now=None):
    """``hidden_from_search`` of a page read as values (thousands at once: the sitemap)."""
    if alias_of_id is not None:
        return True
    return expire_at is not None and expire_at <= (now or timezone.now())


def restricted_paths():
    """Tree paths of the pages that carry a view restriction (their descendants are
    restricted too), looked up once per content generation."""
    return memo(
        "restricted-paths",
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )


def restricted_prefixes():
    """``restricted_paths`` and the paths of those pages' aliases (the other language's
    synchronised tree), which Wagtail restricts like their originals."""

    def compute():
        pages = PageViewRestriction.objects.values_list("page_id", flat=True)
        aliases = Page.objects.filter(alias_of__in=pages).values_list("path", flat=True)
        return tuple(restricted_paths()) + tuple(aliases)

    return memo("restricted-prefixes", compute)


def may_be_restricted(page):
    """False when no view restriction can apply to ``page``: no restricted page above or
    at it, and not an alias (whose restrictions are its original's)."""
    if page.alias_of_id:
        return True
    return any(page.path.startswith(prefix) for prefix in restricted_prefixes())


def active_locale():
    """``Locale.get_active()``, looked up once per process, generation and language."""
    return memo(("locale", get_language()), Locale.get_active)


class PublicViewRestrictionsMixin:
    """Wagtail checks a page's view restrictions before serving it, in two queries; for the
    pages no restriction can reach (nearly all), the answer is known without them."""

    def get_view_restrictions(self):
        if not may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
