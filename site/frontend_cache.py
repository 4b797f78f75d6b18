"""The two purge tasks under the name the task queue stores them by (persisted in its rows);
they live in ``pioneer.caching.front_cache``."""

from pioneer.caching.front_cache import purge_noted_answers, purge_noted_variants

__all__ = ["purge_noted_answers", "purge_noted_variants"]
