"""What a publish or unpublish must purge from the front cache besides the page itself.

Wagtail's ``frontend_cache`` purges a page's own URLs. A lesson also shows on its
function's index, the all-lessons index, the home page and in feeds, so those go in the
same purge batch (sent by Wagtail through its task queue), with the sitemap and the
embed widget's plain URL. A view restriction added or lifted purges the page, the pages
below it and their listings the same way. Pages that merely link to it (related lessons,
a series, filtered listings) expire with the cache's short lifetime instead.
"""

import logging
import threading
from contextlib import contextmanager
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.db import transaction
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

logger = logging.getLogger(__name__)
_gathering = threading.local()

FEEDS_BY_MODEL = {
    "lessonpage": ["lessons"],
    "lessonseriespage": [],
    "newspage": ["news"],
    "policypage": ["policies"],
}


def feed_paths(page):
    """Paths of the feeds that list ``page`` (both formats)."""
    specific = page.specific_deferred
    locale = page.locale.language_code
    feeds = [(kind, None) for kind in FEEDS_BY_MODEL.get(specific._meta.model_name, [])]
    function = getattr(specific, "function", "")
    if specific._meta.model_name == "lessonpage" and function:
        feeds.append(("lessons", function))
    region = getattr(specific, "region", None)
    if region is not None and specific._meta.model_name in ("lessonpage", "newspage"):
        feeds.append(("regions", region.slug))
        if region.parent_id:
            feeds.append(("regions", region.parent.slug))
    paths = []
    for kind, key in feeds:
        kwargs = {"locale": locale, "kind": kind}
        if key is not None:
            kwargs["key"] = key
        paths += [reverse(name, kwargs=kwargs) for name in ("feed_rss", "feed_atom")]
    return paths


def purge_listings(instance, **kwargs):
    """Signal handler for ``page_published`` and ``page_unpublished``."""
    if not get_backends():
        return  # no front cache configured: nothing to purge, so no URLs to work out
    gathered = getattr(_gathering, "batch", None)
    batch = gathered or PurgeBatch()
    site = instance.get_site()
    if site is None:
        return
    parent_path = instance.path[: -instance.steplen]
    listings = gathered.ancestors if gathered else {}
    if parent_path not in listings:
        ancestors = PurgeBatch(cache_object=batch)
        ancestors.add_pages(instance.get_ancestors().filter(depth__gt=1).live().specific())
        listings[parent_path] = ancestors.urls
    batch.add_urls(listings[parent_path])
    root = site.root_url.rstrip("/")
    batch.add_urls(root + path for path in feed_paths(instance))
    batch.add_url(root + reverse("sitemap"))
    if specific_model_name(instance) == "lessonpage":
        batch.add_url(root + reverse("embed_lessons"))  # the widget's plain form
    if gathered is None:
        batch.purge()


def specific_model_name(page):
    return page.specific_deferred._meta.model_name


MAX_RESTRICTION_PURGE = 500  # pages below that the cache's short lifetime takes care of


def purge_restricted(sender, instance, **kwargs):
    """A view restriction added, changed or lifted: the page and the pages below it change
    who may see them, so their cached copies and the listings showing them go, once the
    change is committed (a purge before it would let the old copy be cached again)."""
    if not get_backends():
        return
    page_id = instance.page_id
    transaction.on_commit(lambda: _purge_subtree(page_id))


def _purge_subtree(page_id):
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:  # deleted with its page: the page's unpublishing purged it
        return
    pages = [page] + list(page.get_descendants().live()[:MAX_RESTRICTION_PURGE])
    with gathered_purges():
        for each in pages:
            each = each.specific
            _gathering.batch.add_page(each)
            purge_listings(sender=type(each), instance=each)


@contextmanager
def gathered_purges():
    """Within this block, ``purge_listings`` gathers its URLs (each index and feed once,
    its ancestors' URLs worked out once per parent) and purges them together when the
    block ends without an error: a bulk import publishing thousands of pages under a few
    indexes sends each index's purge once, not once a page."""
    if getattr(_gathering, "batch", None) is not None:  # nested: the outer block purges
        yield
        return
    _gathering.batch = PurgeBatch()
    _gathering.batch.ancestors = {}
    try:
        yield
        batch = _gathering.batch
    finally:
        _gathering.batch = None
    batch.purge()


def register_signal_handlers():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(purge_listings, dispatch_uid="pioneer_purge_listings_published")
    page_unpublished.connect(purge_listings, dispatch_uid="pioneer_purge_listings_unpublished")
    for signal in (post_save, post_delete):
        signal.connect(
            purge_restricted,
            sender=PageViewRestriction,
            dispatch_uid=f"pioneer_purge_restricted_{signal is post_save}",
        )


class NginxPurgeBackend(BaseBackend):
    """PURGE requests to nginx's cache-purge module.

    Like Wagtail's ``HTTPBackend``, but the module answers 404 for a URL nobody has
    read since it was last cached, which is no failure: only other errors are logged.
    """

    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params.pop("LOCATION"))
        self.scheme, self.netloc = location.scheme, location.netloc

    def purge(self, url):
        parts = urlsplit(url)
        request = Request(
            urlunsplit([self.scheme, self.netloc, parts.path, parts.query, ""]),
            method="PURGE",
            headers={"Host": parts.netloc},
        )
        try:
            urlopen(request, timeout=5)  # noqa: S310 - LOCATION comes from settings
        except HTTPError as error:
            if error.code != 404:
                logger.error("Could not purge %s from the front cache: HTTP %s", url, error.code)
        except (URLError, OSError) as error:
            logger.error("Could not purge %s from the front cache: %s", url, error)
