"""What a publish or unpublish must purge from the front cache besides the page itself.

Wagtail's ``frontend_cache`` purges a page's own URLs. A lesson also shows on its
function's index, the all-lessons index, the home page and in feeds, so those go in the
same purge batch (sent by Wagtail through its task queue), with the sitemap, the
embed widget's plain URL, the series that hold a lesson, and each page's offline pack
(``get_cached_paths``). A change of who may see a page (a view restriction added, changed
or lifted, an unpublish or expiry, a move) purges the page, the pages below it and their
listings the same way, and also every copy nginx may hold under a query string
(``?utm_source=…``, filtered listings, the widget's and feeds' variants): the site notes
each such address it answers, as it does for search and API answers below. Pages that
merely link to it (related lessons on other lessons) expire with the cache's short
lifetime instead: nginx serves no copy past it without asking the site
(deploy/nginx/pioneer.conf).

nginx caches search results and API answers as well. No page's purge names their
addresses, so the site notes each one it answers (under the address nginx keys it by) and
every purge also purges the answers noted within the cache's lifetime; an answer it cannot
note is marked for nginx not to keep.
"""

import copy
import http.client
import logging
import random
import re
import threading
import time
from contextlib import contextmanager
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.urls import reverse
from django_tasks import task
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from pioneer import compat

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
        # Every region's feed lists its own content and that of every region below it.
        feeds += [("regions", r.slug) for r in [region, *region.ancestors()]]
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
    listings = _gathering.ancestors if gathered else {}
    if parent_path not in listings:
        ancestors = PurgeBatch(cache_object=batch)
        ancestors.add_pages(instance.get_ancestors().filter(depth__gt=1).live().specific())
        listings[parent_path] = ancestors.urls
    batch.add_urls(listings[parent_path])
    # Pages that show this one besides its ancestors (a lesson's series), with their packs.
    dependents = getattr(instance.specific_deferred, "front_cache_dependents", None)
    if dependents is not None:
        batch.add_pages(dependents())
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
    purge_variants_soon()


def purge_unpublished(instance, **kwargs):
    """Signal handler for ``page_unpublished`` (an unpublish, an expiry, a delete): the
    page's copies under any query string go too (``purge_listings`` takes the rest)."""
    if get_backends():
        purge_variants_soon()


def purge_moved(instance, url_path_before, url_path_after, parent_page_before, **kwargs):
    """Signal handler for ``post_page_move``: the copies at the old address (the page, its
    pack, the pages below it) and the old listings go, and the new listings take it in."""
    if not get_backends() or url_path_before == url_path_after:
        return
    page_id, old_parent_id = instance.pk, parent_page_before.pk
    transaction.on_commit(
        lambda: _purge_move(page_id, old_parent_id, url_path_before, url_path_after)
    )
    purge_variants_soon()


def _purge_move(page_id, old_parent_id, url_path_before, url_path_after):
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    pages = [page] + list(page.get_descendants().live()[:MAX_RESTRICTION_PURGE])
    with gathered_purges():
        batch = _gathering.batch
        for each in pages:
            each = each.specific
            # The same page at its old address: get_full_url works from url_path alone.
            before = copy.copy(each)
            before.url_path = url_path_before + each.url_path[len(url_path_after) :]
            batch.add_page(before)
            if each.live:
                batch.add_page(each)
                purge_listings(sender=type(each), instance=each)
        old_parent = Page.objects.filter(pk=old_parent_id).first()
        if old_parent is not None:
            batch.add_pages(
                Page.objects.ancestor_of(old_parent, inclusive=True)
                .filter(depth__gt=1)
                .live()
                .specific()
            )


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
    _gathering.batch, _gathering.ancestors = PurgeBatch(), {}
    try:
        yield
        batch = _gathering.batch
    finally:
        _gathering.batch = _gathering.ancestors = None
    batch.purge()


def register_signal_handlers():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(purge_listings, dispatch_uid="pioneer_purge_listings_published")
    page_unpublished.connect(purge_listings, dispatch_uid="pioneer_purge_listings_unpublished")
    page_unpublished.connect(purge_unpublished, dispatch_uid="pioneer_purge_unpublished")
    post_page_move.connect(purge_moved, dispatch_uid="pioneer_purge_moved")
    for signal in (post_save, post_delete):
        signal.connect(
            purge_restricted,
            sender=PageViewRestriction,
            dispatch_uid=f"pioneer_purge_restricted_{signal is post_save}",
        )


# --- Search and API answers -------------------------------------------------------------
# What nginx caches besides pages (deploy/nginx/pioneer.conf), and the header carrying the
# key it caches an answer under: the address exactly as the browser sent it.
ANSWER_PATHS = re.compile(r"^/(api|[a-z-]+/search)(/|$)")
CACHE_KEY_HEADER = "HTTP_X_PIONEER_CACHE_KEY"
ANSWERS = "pioneer:front-cache:answers"  # Redis sorted set: cache key -> when answered
# Pages nginx keeps under an address with a query string, noted the same way. nginx serves
# a copy for at most 2 minutes (the widget's: 5) after the site last answered for it, with
# the page or a 304 (deploy/nginx: no stale copy while one is refreshed), so a copy last
# noted longer ago than ANSWERS_KEEP is no longer served without the site's answer.
VARIANTS = "pioneer:front-cache:variants"
NEVER_CACHED = re.compile(r"^/(admin|healthz|mode|documents)(/|$)")  # deploy/nginx
ANSWERS_KEEP = 600  # seconds: longer than nginx keeps an answer unasked (5 min, deploy/nginx)
ANSWERS_MAX = 20_000  # the newest kept: a purge sends at most this many PURGE requests
CACHEABLE = {200, 301, 302, 404}  # what nginx keeps (proxy_cache_valid)
# How long after it expires nginx may serve a noted answer while it fetches the next one in
# the background: clients never wait for a refresh. Only noted answers get this leave (a
# Cache-Control extension nginx reads per answer; it strips it before clients see it), so
# an answer no purge can reach is never served stale: during a Redis outage refreshes are
# not kept, and the last copy from before it can only be served until this runs out.
ANSWERS_STALE = 60  # seconds


def _redis(name=ANSWERS):
    """The raw client of the shared cache when it is Redis, else None."""
    backend = caches["default"]
    client = compat.redis_client(backend, write=True)
    return (client, backend.make_key(name)) if client is not None else (None, None)


def remember_answer(key, noted=ANSWERS):
    """Note that nginx may now hold an answer under ``key``; False when it cannot be noted
    (no Redis, Redis away, or an address not in ASCII, which a PURGE cannot repeat)."""
    if not key.isascii():
        return False
    client, name = _redis(noted)
    if client is None:
        return False
    from redis.exceptions import RedisError

    now = time.time()
    try:
        pipe = client.pipeline(transaction=False)
        pipe.zadd(name, {key: now})
        if random.random() < 0.01:  # trim now and then: the set stays small
            pipe.zremrangebyscore(name, "-inf", now - ANSWERS_KEEP)
            pipe.zremrangebyrank(name, 0, -ANSWERS_MAX - 1)
        pipe.execute()
    except RedisError as error:  # away, read-only after a failover, out of memory…
        logger.warning("Could not note a cached answer: %s", error)
        return False
    return True


class AnswersUnknown(Exception):
    """The noted answers could not be read: the purge task fails, to be retried."""


def recent_answers(noted=ANSWERS):
    """The cache keys of search and API answers (or ``VARIANTS``) nginx may still hold,
    newest first."""
    client, name = _redis(noted)
    if client is None:
        return []
    from redis.exceptions import RedisError

    try:
        keys = client.zrevrangebyscore(
            name, "+inf", time.time() - ANSWERS_KEEP, start=0, num=ANSWERS_MAX
        )
    except RedisError as error:
        raise AnswersUnknown(f"could not read the cached answers to purge: {error}") from error
    return [key.decode() for key in keys]


PERSONAL_COOKIES = ("sessionid", "csrftoken", "mode", "saver")  # nginx's bypass (deploy/nginx)


def cached_by_nginx(request):
    """Whether nginx may keep this request's answer: what its bypass rules leave
    (deploy/nginx: no session, CSRF, elder-mode or data-saver cookie, no Save-Data)."""
    return request.method in ("GET", "HEAD") and not (
        any(name in request.COOKIES for name in PERSONAL_COOKIES)
        or "on" in request.headers.get("Save-Data", "").lower()
    )


class CachedAnswersMiddleware:
    """Note each search or API answer nginx may cache (see ``remember_answer``), and each
    page it may cache under a query string (``VARIANTS``).

    It runs before the generation ETag's 304s (settings.MIDDLEWARE), so that a variant
    nginx keeps by revalidating it is noted again each time it does."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Without a purge backend nothing would ever purge what nginx keeps.
        self.purged = bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))

    def __call__(self, request):
        response = self.get_response(request)
        key = request.META.get(CACHE_KEY_HEADER)
        if (
            key is None  # only nginx sends it (the site's other clients cache nothing)
            or not cached_by_nginx(request)
        ):
            return response
        if not ANSWER_PATHS.match(request.path):
            if (
                self.purged
                and "?" in key
                and response.status_code in CACHEABLE | {304}
                and not NEVER_CACHED.match(request.path)
            ):
                # Not noted (Redis away): the copy lasts the cache's 2 minutes at most.
                remember_answer(key, VARIANTS)
            return response
        if response.status_code not in CACHEABLE:
            return response
        if self.purged and remember_answer(key):
            if "no-store" not in response.get("Cache-Control", ""):
                stale = f"stale-while-revalidate={ANSWERS_STALE}"
                cache_control = response.get("Cache-Control")
                # Last, where nginx's map strips it (deploy/nginx/pioneer.conf).
                response["Cache-Control"] = f"{cache_control}, {stale}" if cache_control else stale
        else:
            response["X-Accel-Expires"] = "0"  # nginx: do not keep what no purge can reach
        return response


VARIANTS_PURGE_QUEUED = "pioneer:front-cache:variants-purge-queued"


def purge_variants_soon():
    """Once the change is committed, purge every page nginx may hold under a query string
    (a change of who may see a page: any of them may show it), once for any number of
    changes made before the purge starts (a bulk unpublish)."""
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(_queue_variants_purge)


def _queue_variants_purge():
    from django.core.cache import cache

    if cache.add(VARIANTS_PURGE_QUEUED, True, 60):
        purge_noted_variants.enqueue()
    # else one is queued and has not started: it purges this change's copies too


@task()
def purge_noted_variants():
    from django.core.cache import cache

    cache.delete(VARIANTS_PURGE_QUEUED)  # a change from now on queues another purge
    for backend in get_backends().values():
        if isinstance(backend, NginxPurgeBackend):
            backend.purge_variants()


ANSWERS_PURGE_QUEUED = "pioneer:front-cache:answers-purge-queued"
ANSWERS_CHANGED = "pioneer:front-cache:answers-changed"  # when the engine last changed
ANSWERS_PURGE_DELAY = 2  # seconds: the engine makes a change searchable within 1 (refresh)


def purge_answers_soon():
    """Purge the noted search and API answers once the engine shows this change, once for
    any number of changes meanwhile (an import indexes thousands of pages)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    transaction.on_commit(_queue_answers_purge)


def _queue_answers_purge():
    from django.core.cache import cache

    cache.set(ANSWERS_CHANGED, time.time(), 3600)
    if cache.add(ANSWERS_PURGE_QUEUED, True, 60):
        _enqueue_answers_purge(ANSWERS_PURGE_DELAY)
    # else one is queued and has not started: it sees this change too (see below)


def _enqueue_answers_purge(seconds):
    import datetime

    from django.utils import timezone

    if not _can_defer():  # a backend that runs tasks at once (tests' immediate one)
        purge_noted_answers.enqueue()
        return
    later = timezone.now() + datetime.timedelta(seconds=seconds)
    purge_noted_answers.using(run_after=later).enqueue()


@task()
def purge_noted_answers():
    """Purge the noted answers, unless the engine changed too recently to show it yet: an
    answer given between such a purge and the engine's refresh would miss the change, so
    the purge waits until the last change is ``ANSWERS_PURGE_DELAY`` old."""
    from django.core.cache import cache

    changed = cache.get(ANSWERS_CHANGED) or 0
    wait = changed + ANSWERS_PURGE_DELAY - time.time()
    if wait > 0 and _can_defer():
        cache.set(ANSWERS_PURGE_QUEUED, True, 60)  # still queued: changes add no other one
        _enqueue_answers_purge(wait)
        return
    cache.delete(ANSWERS_PURGE_QUEUED)  # a change from now on queues another purge
    for backend in get_backends().values():
        if isinstance(backend, NginxPurgeBackend):
            backend.purge_batch([])


def _can_defer():
    from django_tasks import default_task_backend

    return default_task_backend.supports_defer


class NginxPurgeBackend(BaseBackend):
    """PURGE requests to nginx's cache-purge module, over one connection a batch.

    Like Wagtail's ``HTTPBackend``, but the module answers 404 for a URL nobody has
    read since it was last cached, which is no failure: only other errors are logged.
    Every batch also purges the search and API answers noted recently.
    """

    def __init__(self, params):
        super().__init__(params)
        location = urlsplit(params.pop("LOCATION"))
        self.scheme, self.netloc = location.scheme, location.netloc

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        """Purge ``urls`` and the noted answers. Unreachable nginx ends the batch at the
        first failure; answers that could not be read fail the task (after the pages are
        purged), so that it is retried."""
        hosts = {urlsplit(url).netloc for url in urls} or {self.netloc}
        unknown = None
        try:
            answers = recent_answers()
        except AnswersUnknown as error:
            answers, unknown = [], error
        targets = [(urlsplit(url).netloc, _path(url)) for url in urls]
        targets += [(host, key) for host in sorted(hosts) for key in answers]
        self._send(dict.fromkeys(targets))
        if unknown is not None:
            raise unknown

    def purge_variants(self):
        """Purge the pages noted under a query string (``VARIANTS``)."""
        self._send(dict.fromkeys((self.netloc, key) for key in recent_answers(VARIANTS)))

    def _send(self, targets):
        connection = None
        for host, path in targets:
            try:
                if connection is not None:
                    try:
                        response = self._purge(connection, host, path)
                    except OSError:  # nginx closed the kept-alive connection: once more
                        connection.close()
                        connection = None
                if connection is None:
                    connection = self._connect()
                    response = self._purge(connection, host, path)
                if response.status not in (200, 404):
                    logger.error(
                        "Could not purge %s from the front cache: HTTP %s", path, response.status
                    )
                if response.will_close:
                    connection.close()
                    connection = None
            except OSError as error:  # refused, timed out: the rest would fail alike
                logger.error("Could not purge %s from the front cache: %s", path, error)
                if connection is not None:
                    connection.close()
                return
            except http.client.HTTPException as error:
                logger.error("Could not purge %s from the front cache: %s", path, error)
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()

    @staticmethod
    def _purge(connection, host, path):
        connection.request("PURGE", path, headers={"Host": host})
        response = connection.getresponse()
        response.read()
        return response

    def _connect(self):
        kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        return kind(self.netloc, timeout=5)


def _path(url):
    """The request target a browser sends for ``url``: characters beyond ASCII (Chinese
    slugs) percent-encoded as UTF-8, the rest as it is."""
    parts = urlsplit(url)
    target = urlunsplit(["", "", parts.path or "/", parts.query, ""])
    return re.sub(r"[^\x21-\x7e]+", lambda match: quote(match.group()), target)
