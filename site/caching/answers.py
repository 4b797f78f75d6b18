"""Answers kept for a while: the JSON API's in the shared cache per content generation, and
the notes of which search and API answers (and pages under a query string) nginx may hold,
so that a purge can reach them; an answer that cannot be noted is marked for nginx not to
keep.
"""

import hashlib
import logging
import random
import time

from django.conf import settings
from django.core.cache import cache, caches

from pioneer import compat
from pioneer.caching.generation import FRAGMENT_SECONDS, address, code_version, generation
from pioneer.caching.nginx import (
    ANSWER_PATHS,
    ANSWERS_KEEP,
    ANSWERS_STALE,
    CACHE_KEY_HEADER,
    CACHEABLE,
    NEVER_CACHED,
    SEARCH_COUNTERS,
    cached_by_nginx,
)

logger = logging.getLogger(__name__)

ANSWERS = "pioneer:front-cache:answers"  # Redis sorted set: cache key -> when answered
# Pages nginx keeps under an address with a query string, noted the same way.
VARIANTS = "pioneer:front-cache:variants"
ANSWERS_MAX = 20_000  # the newest kept: a purge sends at most this many PURGE requests


API_ANSWER_MAX_BYTES = 256 * 1024


class ApiAnswerCacheMiddleware:
    """The JSON API's answers (``/api/v2/``), kept in the shared cache per generation and
    address: a partner's poll or nginx's refresh of an expired answer costs one Redis read
    while nothing has been published. Search (``/api/search/``) is left out: its answers
    also change when the engine's index catches up, after the generation has moved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        current = generation()
        if (
            request.method != "GET"
            or current is None
            or not request.path.startswith("/api/v2/")
            or "search" in request.GET  # the engine's index moves after the generation
        ):
            return self.get_response(request)
        from django.http import HttpResponse

        digest = hashlib.sha1(f"{current}|{code_version()}|{address(request)}".encode())
        key = "pioneer:api:" + digest.hexdigest()
        stored = cache.get(key)
        if stored is not None:
            content_type, body = stored
            response = HttpResponse(body, content_type=content_type)
            response["Content-Length"] = str(len(body))  # as CommonMiddleware, inside, would
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and len(response.content) <= API_ANSWER_MAX_BYTES
            and not response.cookies
        ):
            cache.set(key, (response["Content-Type"], response.content), FRAGMENT_SECONDS)
        return response


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
            or SEARCH_COUNTERS.match(request.path)  # never cached (deploy/nginx)
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
