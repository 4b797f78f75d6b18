"""What a publish or unpublish must purge from the front cache besides the page itself.

Wagtail's ``frontend_cache`` purges a page's own URLs. A lesson also shows on its
function's index, the all-lessons index, the home page and in feeds, so those go in the
same purge batch (sent by Wagtail through its task queue), with the sitemap, the
embed widget's plain URL, the series that hold a lesson, and each page's offline pack
(``get_cached_paths``). A change of who may see a page (a view restriction added, changed
or lifted, an unpublish or expiry, a move) purges the page, the pages below it and their
listings the same way, and also every copy nginx may hold under a query string
(``?utm_source=…``, filtered listings, the widget's and feeds' variants): the site notes
each such address it answers, as it does for search and API answers (``answers``). Pages that
merely link to it (related lessons on other lessons) expire with the cache's short
lifetime instead: nginx serves no copy past it without asking the site
(deploy/nginx/pioneer.conf).

nginx caches search results and API answers as well. No page's purge names their
addresses, so the site notes each one it answers (``answers``) and every purge also purges
the answers noted within the cache's lifetime.

The parts that own other URLs showing a page (feeds, the sitemap, the widget) register
them with ``purge_also``: this module knows no content type.
"""

import copy
import http.client
import logging
import re
import threading
import time
from contextlib import contextmanager
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django_tasks import task
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends

from pioneer.caching.answers import VARIANTS, AnswersUnknown, recent_answers
from pioneer.caching.nginx import purge_paths

logger = logging.getLogger(__name__)
_gathering = threading.local()

# What else lists a page, in the order registered: the parts that own those URLs (feeds,
# the sitemap, the embed widget) say which of their paths show ``page``; this module knows
# no content type and no partner URL.
_path_providers = []


def purge_also(*providers):
    """Register ``provider(page)`` callables returning the site paths (no host) that show
    ``page`` and go in the same purge batch as it."""
    _path_providers.extend(p for p in providers if p not in _path_providers)


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
    for provider in _path_providers:  # feeds, the sitemap, the widget's plain form
        batch.add_urls(root + path for path in provider(instance))
    if gathered is None:
        batch.purge()


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


# The task queue stores a task as ``func.__module__ + "." + func.__qualname__`` and finds it
# again with ``import_string``: these two were defined in ``pioneer.frontend_cache``, which
# re-exports them, so rows queued under that name (before the move and after) still run.
TASK_MODULE = "pioneer.frontend_cache"


def _persisted(func):
    func.__module__ = TASK_MODULE
    return func


@task()
@_persisted
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
@_persisted
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
        targets = [(urlsplit(url).netloc, path) for url in urls for path in purge_paths(_path(url))]
        targets += [(host, key) for host in sorted(hosts) for key in answers]
        self._send(dict.fromkeys(targets))
        if unknown is not None:
            raise unknown

    def purge_variants(self):
        """Purge the pages noted under a query string (``VARIANTS``)."""
        self._send(
            dict.fromkeys(
                (self.netloc, path) for key in recent_answers(VARIANTS) for path in purge_paths(key)
            )
        )

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
