"""One number for "what the public may see has changed", and the caches keyed on it.

Every publish, unpublish, move or delete of a page, and every save of what pages show
besides their own fields (view restrictions, sites, site settings and texts, regions,
topics, documents, images), raises the *content generation* kept in the shared cache
(Redis in production) once the change is committed (``signals`` lists what moves it).
Rendered fragments (``{% fragment %}``, ``fragments``) and per-process lookups (``memo``)
are keyed on the generation a request read when it began, so no app server ever shows a
fragment older than the last commit it could see, and nothing needs purging one key at a
time. A Redis outage reads as a miss: pages are rendered in full.
"""

import collections
import contextlib
import contextvars
import functools
import threading
import time
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

KEY = "pioneer:content-generation"
MEMO_ENTRIES = 1000  # per process; more (odd Host headers, say) starts the memo afresh
FRAGMENT_SECONDS = 600  # a backstop: a change that bypassed the signals shows within this

_current = contextvars.ContextVar("pioneer_content_generation", default=None)
_memo = (None, {})  # (generation, {key: value}) of this process


_outage = False  # this process found Redis away: the generation moves when it is back


def _read():
    global _outage
    value = cache.get(KEY)
    if value is None:
        # Start from the clock, never from 0: after Redis loses the key (restart, LRU) the
        # new generation must not meet fragments stored under an old number.
        cache.add(KEY, time.time_ns(), None)
        value = cache.get(KEY)
        if value is None:  # Redis is away
            _outage = True
            return None
    if _outage:
        # A change made during the outage could not move the generation (and a Redis that
        # kept its data still holds the old one): move it now, once per process that saw
        # the outage, before anything is served under the old number again.
        _outage = False
        _bump()
        value = cache.get(KEY)
    return value


def generation():
    """The generation this request works with (read once per request by the middleware)."""
    value = _current.get()
    return value if value is not None else _read()


@contextlib.contextmanager
def read_once():
    """Within the block (a request), ``generation()`` answers from one read of the cache."""
    token = _current.set(_read())
    try:
        yield
    finally:
        _current.reset(token)


def peek(key):
    """What ``memo`` holds for ``key`` in the current generation, else None; computes
    nothing (so queries nothing)."""
    current = generation()
    state = _memo
    return state[1].get(key) if current is not None and state[0] == current else None


def bump():
    """Mark the public content changed, now and again when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    global _outage
    try:
        if cache.incr(KEY) is None:  # Redis away (ResilientRedisCache)
            _outage = True
    except ValueError:  # missing (first change, or Redis forgot it)
        cache.set(KEY, time.time_ns(), None)
    _current.set(None)


def forget():
    """Start afresh: a new generation and an empty memo (tests whose database changes are
    rolled back without signals)."""
    global _memo
    _memo = (None, {})
    _bump()


def memo(key, compute):
    """``compute()`` once per process and generation: for lookups every request makes
    (the site, locales, settings) that change only with the content."""
    global _memo
    current = generation()
    if current is None:
        return compute()
    state = _memo
    if state[0] != current:
        state = _memo = (current, {})  # one assignment: threads never mix generations
    values = state[1]
    if key not in values:
        if len(values) >= MEMO_ENTRIES:
            values.clear()
        values[key] = compute()
    return values[key]


def shared(key, compute, seconds=FRAGMENT_SECONDS):
    """``compute()`` once per content generation across every process and server: kept
    in the shared cache (Redis in production) under the generation and the release, for
    what costs too much to work out once per worker (a sitemap file of 5,000 addresses).
    Without a generation (Redis away) it is computed each time."""
    current = generation()
    if current is None:
        return compute()
    name = f"pioneer:shared:{current}:{code_version()}:{key}"
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, seconds)
    return found


class LocalLRU:
    """A bounded, thread-safe map in this process's memory: the newest ``size`` entries,
    each for at most ``seconds``. Keys carry the generation, so entries of an older one are
    never read again and age out; what a worker holds stays bounded however many URLs it
    serves."""

    def __init__(self, size, seconds=FRAGMENT_SECONDS):
        self.size, self.seconds = size, seconds
        self.entries, self.lock = collections.OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key, value):
        with self.lock:
            self.entries[key] = (time.monotonic() + self.seconds, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def deferred(compute, keys):
    """Template context entries that run ``compute()`` (once, returning a dict) only when a
    template reads one of them: inside a ``{% fragment %}`` that is not cached yet."""
    result = functools.cache(compute)
    return {key: functools.partial(_item, result, key) for key in keys}


def _item(result, key):
    return result()[key]


@functools.cache
def code_version():
    """What the templates and code of this deployment are, for fragment keys: a new
    release never reads fragments its predecessor rendered (newest file change under the
    project's apps, the same in every worker of one release)."""
    from django.conf import settings

    newest = 0.0
    for app in (
        "site",
        "home",
        "lessons",
        "news",
        "notices",
        "station_messages",
        "schedule",
        "search",
    ):
        for path in (Path(settings.BASE_DIR) / app).rglob("*"):
            if path.suffix in (".py", ".html", ".css", ".json", ".mo"):
                newest = max(newest, path.stat().st_mtime)
    return f"{newest:.0f}"


def address(request):
    """The path and the query string as the client sent it (``get_full_path`` encodes a raw
    UTF-8 query again, so two different queries could meet under one key)."""
    query = request.META.get("QUERY_STRING", "")
    return request.path + ("?" + query if query else "")
