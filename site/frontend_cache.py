"""What a publish or unpublish must purge from the front cache besides the page itself.

Wagtail's ``frontend_cache`` purges a page's own URLs. A lesson also shows on its
function's index, the all-lessons index, the home page and in feeds, so those go in the
same purge batch (sent by Wagtail through its task queue), with the sitemap and the
embed widget's plain URL. A view restriction added or lifted purges the page, the pages
below it and their listings the same way. Pages that merely link to it (related lessons,
a series, filtered listings) expire with the cache's short lifetime instead.

nginx caches search results and API answers as well. No page's purge names their
addresses, so the site notes each one it answers (under the address nginx keys it by) and
every purge also purges the answers noted within the cache's lifetime; an answer it cannot
note is marked for nginx not to keep.
"""

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


# --- Search and API answers -------------------------------------------------------------
# What nginx caches besides pages (deploy/nginx/pioneer.conf), and the header carrying the
# key it caches an answer under: the address exactly as the browser sent it.
ANSWER_PATHS = re.compile(r"^/(api|[a-z-]+/search)(/|$)")
CACHE_KEY_HEADER = "HTTP_X_PIONEER_CACHE_KEY"
ANSWERS = "pioneer:front-cache:answers"  # Redis sorted set: cache key -> when answered
ANSWERS_KEEP = 600  # seconds: longer than nginx keeps an answer unasked (5 min, deploy/nginx)
ANSWERS_MAX = 20_000  # the newest kept: a purge sends at most this many PURGE requests
CACHEABLE = {200, 301, 302, 404}  # what nginx keeps (proxy_cache_valid)
# How long after it expires nginx may serve a noted answer while it fetches the next one in
# the background: clients never wait for a refresh. Only noted answers get this leave (a
# Cache-Control extension nginx reads per answer; it strips it before clients see it), so
# an answer no purge can reach is never served stale: during a Redis outage refreshes are
# not kept, and the last copy from before it can only be served until this runs out.
ANSWERS_STALE = 60  # seconds


def _redis():
    """The raw client of the shared cache when it is Redis, else None."""
    backend = caches["default"]
    client = getattr(getattr(backend, "_cache", None), "get_client", None)
    return (client(write=True), backend.make_key(ANSWERS)) if client else (None, None)


def remember_answer(key):
    """Note that nginx may now hold an answer under ``key``; False when it cannot be noted
    (no Redis, Redis away, or an address not in ASCII, which a PURGE cannot repeat)."""
    if not key.isascii():
        return False
    client, name = _redis()
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


def recent_answers():
    """The cache keys of search and API answers nginx may still hold, newest first."""
    client, name = _redis()
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
    """Note each search or API answer nginx may cache (see ``remember_answer``)."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Without a purge backend nothing would ever purge what nginx keeps.
        self.purged = bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))

    def __call__(self, request):
        response = self.get_response(request)
        key = request.META.get(CACHE_KEY_HEADER)
        if (
            key is None  # only nginx sends it (the site's other clients cache nothing)
            or response.status_code not in CACHEABLE
            or not ANSWER_PATHS.match(request.path)
            or not cached_by_nginx(request)
        ):
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
