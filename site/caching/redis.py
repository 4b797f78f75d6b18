"""Django's own Redis cache, made to degrade instead of failing when Redis is away.

Django's ``RedisCache`` raises on a refused or timed-out connection, so a Redis outage
would turn every request that reads a session or counts a rate limit into a 500. Here a
connection failure reads as a cache miss and a write as a no-op (logged, at most once a
minute per process); sessions fall back to the database (``cached_db``) and rate limits
let requests through (``RATELIMIT_FAIL_OPEN``). ``ping()`` still raises, so ``/healthz``
reports the outage.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from pioneer import compat

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
_LOG_EVERY = 60.0
_last_logged = 0.0


def _unavailable(operation, exc):
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY:
        _last_logged = now
        logger.warning("cache unavailable (%s): %s: %s", operation, type(exc).__name__, exc)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        # Fail fast: a cache that takes seconds to answer is worse than none.
        options = {"socket_connect_timeout": 1, "socket_timeout": 1, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})

    def ping(self):
        """Raise if Redis does not answer (what the other methods swallow)."""
        return compat.redis_client(self, write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as exc:
            _unavailable("add", exc)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            _unavailable("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as exc:
            _unavailable("set", exc)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            _unavailable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            _unavailable("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            _unavailable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            _unavailable("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        """``None`` when Redis is away: django-ratelimit reads that as a cache failure."""
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            _unavailable("incr", exc)
            return None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as exc:
            _unavailable("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            _unavailable("delete_many", exc)

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as exc:
            _unavailable("clear", exc)
            return False
