"""The Redis cache backend's settings path (``CACHES``, asserted by the settings tests); it
lives in ``pioneer.caching.redis``."""

from pioneer.caching.redis import ResilientRedisCache

__all__ = ["ResilientRedisCache"]
