"""``/sitemap.xml``: every public page in every language, with hreflang alternates."""

from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from pioneer.core.i18n import HREFLANG
from pioneer.core.public import public_pages


class PublicSitemap(Sitemap):
    def items(self):
        return (
            public_pages(Page, locale=False)
            .filter(depth__gt=1)
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
        )

    def get_urls(self, page=1, site=None, protocol=None):
        """Each URL of one sitemap page with its hreflang alternates, found in one pass over
        the page's items (the addresses are the pages' own, so site and protocol are
        unused)."""
        pages = list(self.paginator.page(page).object_list)
        versions = {}
        for item in pages:
            code = HREFLANG.get(item.locale.language_code, item.locale.language_code)
            versions.setdefault(item.translation_key, {})[code] = item.get_full_url(self.request)
        urls = []
        for item in pages:
            location = item.get_full_url(self.request)
            entry = {"item": item, "location": location, "lastmod": self.lastmod(item)}
            alternates = versions[item.translation_key]
            if len(alternates) > 1:
                entry["alternates"] = [
                    {"lang_code": code, "location": url} for code, url in sorted(alternates.items())
                ]
            urls.append(entry)
        self.latest_lastmod = max((u["lastmod"] for u in urls if u["lastmod"]), default=None)
        return urls


def sitemap_paths(page):
    """The sitemap lists every public page: purged with each
    (``pioneer.caching.front_cache.purge_also``)."""
    return [reverse("sitemap")]
