"""RSS 2.0 and Atom 1.0 feeds for partners (DESIGN.md contract 3), per locale.

/feeds/<locale>/lessons/{rss,atom}.xml                 all lessons
/feeds/<locale>/lessons/<function>/{rss,atom}.xml      one of the five functions
/feeds/<locale>/regions/<region slug>/{rss,atom}.xml   lessons and news of a region
/feeds/<locale>/news/{rss,atom}.xml                    news
/feeds/<locale>/policies/{rss,atom}.xml                policy documents

Items come from ``public_pages`` (live, public, not expired, not an untranslated alias).
Lesson entries carry their main video or audio as an enclosure, podcast-style. What each
feed lists, and how its entries are dated, signed and filed, the content kinds declare
(``pioneer.core.content_types``).
"""

import datetime
import hashlib
import mimetypes
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageLogEntry

from pioneer.caching.generation import memo
from pioneer.core import content_types, filters
from pioneer.core.addresses import public_url
from pioneer.core.five_functions import Function
from pioneer.core.models import topic_labels
from pioneer.core.public import public_pages

ITEMS = 30
TZ = ZoneInfo(settings.TIME_ZONE)


class SiteFeed(Feed):
    """One feed: what it lists is decided by ``get_object`` from the URL."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        language = kwargs.get("locale", "zh-hans")
        self.locale = Locale.objects.filter(language_code=language).first()
        if self.locale is None:
            raise Http404("unknown locale")
        with translation.override(language):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request, kind, key=None, **kwargs):
        """Check the URL's names before anything is listed: unknown ones are a 404."""
        region = None
        feeds = content_types.feeds()
        by_function = _by_function(kind)
        if by_function and key and filters.parse_function(key) is None:
            raise Http404("unknown function")
        if kind == content_types.REGIONS:
            region = filters.parse_region(key, self.locale)
            if region is None:
                raise Http404("unknown region")
        elif kind not in feeds or (key and not by_function):
            raise Http404("unknown feed")
        return {"kind": kind, "key": key, "region": region}

    # --- what is listed --------------------------------------------------------------

    def querysets(self, obj):
        kinds = content_types.feeds().get(obj["kind"])
        if not kinds:
            raise Http404("unknown feed")  # pragma: no cover - get_object checked it
        # The URL's key: a region (regions/<slug>/) or a function (lessons/<function>/).
        if obj["region"] is not None:
            found = filters.Filters(region=obj["region"])
        else:
            found = filters.Filters(function=obj["key"] or "")
        return [
            (kind, filters.narrow(public_pages(kind.get_model(), locale=self.locale), found, kind))
            for kind in kinds
        ]

    def items(self, obj):
        pages = []
        for kind, queryset in self.querysets(obj):
            if kind.region_field:
                queryset = queryset.select_related(kind.region_field)
            pages += list(queryset.order_by(f"-{kind.date_field}", "-pk")[:ITEMS])
        pages.sort(key=lambda page: (self.item_pubdate(page), page.pk), reverse=True)
        pages = pages[:ITEMS]
        self._media = self._main_media(pages)
        self._tags = self._tag_names(pages)
        return pages

    def _main_media(self, pages):
        """{page pk: document} of each lesson's first video or audio (of the kinds with
        ``feed_enclosure``), in one query."""
        wanted = {}
        for page in pages:
            if content_types.for_model(page).feed_enclosure:
                for block in page.body.raw_data:
                    if block["type"] in ("video", "audio") and block["value"].get("file"):
                        wanted[page.pk] = block["value"]["file"]
                        break
        documents = get_document_model().objects.in_bulk(set(wanted.values()))
        return {pk: documents.get(doc_id) for pk, doc_id in wanted.items()}

    def _tag_names(self, pages):
        names = {}
        for model in {type(page) for page in pages}:
            through = model.tags.through
            links = through.objects.filter(
                content_object__in=[p for p in pages if type(p) is model]
            ).select_related("tag")
            topics = [link.tag for link in links]
            labels = topic_labels(topics, self.locale)
            for link in links:
                names.setdefault(link.content_object_id, []).append(labels[link.tag_id])
        return names

    # --- feed metadata -------------------------------------------------------------

    def title(self, obj):
        kind, key, region = obj["kind"], obj["key"], obj["region"]
        site = _("时代先锋网")
        if region is not None:
            return f"{site} · {region.label}"
        if key:  # a function's feed
            return f"{site} · {Function(key).label}"
        return f"{site} · {content_types.feeds()[kind][0].feed_title}"

    # Absolute on the public address: Django would name the host the request came by.
    def link(self, obj):
        return public_url(f"/{self.locale.language_code}/")

    def feed_url(self, obj):
        return public_url(self.request.path)

    def description(self, obj):
        return _("浙江省农村党员干部现代远程教育的最新内容")

    # --- items ---------------------------------------------------------------------

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return public_url(item.get_url(self.request))

    def item_guid(self, item):
        return public_url(item.get_url(self.request))

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        day = getattr(item, content_types.for_model(item).date_field)
        return datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=TZ)

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_author_name(self, item):
        field = content_types.for_model(item).author_field
        return (getattr(item, field) if field else "") or None

    def item_categories(self, item):
        categories = []
        field = content_types.for_model(item).category_field
        if field:  # a choice field: its label (a lesson's function, a policy's type)
            categories.append(str(getattr(item, f"get_{field}_display")()))
        return categories + self._tags.get(item.pk, [])

    def item_enclosures(self, item):
        document = self._media.get(item.pk)
        if document is None:
            return []
        mime = mimetypes.guess_type(document.file.name)[0] or "application/octet-stream"
        url = public_url(document.url)
        return [Enclosure(url, str(document.get_file_size() or 0), mime)]


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


def _state(locale="zh-hans", kind=None, **kwargs):
    """What a feed's validators are made of: the newest publication among the listed
    pages, how many there are and which, and the newest unpublication anywhere. Every
    such change moves the content generation: looked up once per generation."""
    return memo(("feed-state", locale, kind), lambda: _compute_state(locale, kind))


def _compute_state(locale, kind):
    latest, fingerprint = None, []
    for listed in content_types.feeds().get(kind, ()):
        row = (
            public_pages(listed.get_model(), locale=False)
            .filter(locale__language_code=locale)
            .aggregate(latest=Max("last_published_at"), count=Count("pk"), ids=Sum("pk"))
        )
        latest = max(filter(None, [latest, row["latest"]]), default=None)
        fingerprint += [row["count"], row["ids"]]
    gone = PageLogEntry.objects.filter(
        action__in=["wagtail.unpublish", "wagtail.delete", "wagtail.move"]
    ).aggregate(latest=Max("timestamp"))["latest"]
    latest = max(filter(None, [latest, gone]), default=None)
    return latest, fingerprint


def _last_modified(request, **kwargs):
    return _state(**kwargs)[0]


def _etag(request, **kwargs):
    latest, fingerprint = _state(**kwargs)
    parts = [request.path, latest.isoformat() if latest else "-", *map(str, fingerprint)]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def conditional(feed_view):
    return condition(etag_func=_etag, last_modified_func=_last_modified)(feed_view)


rss_feed = conditional(SiteFeed())
atom_feed = conditional(SiteAtomFeed())


def _by_function(name):
    """Whether the feed ``name`` has one feed a function below it (lessons/<function>/)."""
    kinds = content_types.feeds().get(name, ()) if name != content_types.REGIONS else ()
    return any(kind.feed_by_function for kind in kinds)


# --- autodiscovery -----------------------------------------------------------------
def feed_of(page):
    """(feed name, key) a page advertises: its kind's feed, a function's (its function),
    or, for an index with a region, that region's; the home page the feed of the kind
    declaring ``home_feed``. None for any other page."""
    if page is None:
        return None
    kind = index_kind = None
    if isinstance(page, Page):
        kind = content_types.for_model(page)
        if kind is None:
            kind = index_kind = content_types.for_index(page)
    if kind is not None and kind.feed:
        if index_kind is not None and kind.in_region_feeds and kind.region_field:
            region = getattr(page, kind.region_field, None)
            if region is not None:
                return content_types.REGIONS, region.slug
        function = getattr(page, kind.function_field or "", "") if kind.feed_by_function else ""
        return kind.feed, function or None
    if page.depth == 2:  # the home page
        home = next((kind for kind in content_types.kinds() if kind.home_feed), None)
        return (home.feed, None) if home is not None and home.feed else None
    return None


def feed_links(context):
    """Feed autodiscovery for the page being shown (``{% feed_links %}``): its section's
    feeds."""
    page = context.get("page")
    found = feed_of(page)
    if found is None:
        return {"feeds": []}
    kind, key = found
    args = [get_language() or "zh-hans", kind] + ([key] if key else [])
    title = page.title
    return {
        "feeds": [
            {
                "type": "application/rss+xml",
                "title": f"{title} (RSS)",
                "href": reverse("feed_rss", args=args),
            },
            {
                "type": "application/atom+xml",
                "title": f"{title} (Atom)",
                "href": reverse("feed_atom", args=args),
            },
        ]
    }


# --- what a publish purges -------------------------------------------------------
def feed_paths(page):
    """Paths of the feeds that list ``page`` (both formats), as its content kind declares
    them (``pioneer.core.content_types``): purged with it
    (``pioneer.caching.front_cache.purge_also``)."""
    specific = page.specific_deferred
    kind = content_types.for_model(type(specific))
    if kind is None:
        return []
    locale = page.locale.language_code
    feeds = [(kind.feed, None)] if kind.feed else []
    function = getattr(specific, kind.function_field or "", "") if kind.feed_by_function else ""
    if function:
        feeds.append((kind.feed, function))
    region = getattr(specific, kind.region_field or "", None) if kind.in_region_feeds else None
    if region is not None:
        # Every region's feed lists its own content and that of every region below it.
        feeds += [("regions", r.slug) for r in [region, *region.ancestors()]]
    paths = []
    for name, key in feeds:
        kwargs = {"locale": locale, "kind": name}
        if key is not None:
            kwargs["key"] = key
        paths += [reverse(view, kwargs=kwargs) for view in ("feed_rss", "feed_atom")]
    return paths
