"""``GET /healthz``: the state of each service the site depends on (DESIGN.md contract 5)."""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from wagtail.search.backends import get_search_backend


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_cache():
    ping = getattr(cache, "ping", None)  # our Redis backend: raises what reads swallow
    if ping is not None:
        ping()
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("value written to the cache could not be read back")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _check_storage():
    # exists() reaches the store (a HEAD on S3) without writing anything.
    storage = storages["default"]  # the backend itself, not the lazy default_storage
    storage.exists("healthz-probe")
    return type(storage).__name__


def _check_search():
    backend = get_search_backend()
    client = getattr(backend, "es", None)  # the engine client of Elasticsearch/OpenSearch
    if client is not None:
        if not client.ping():
            raise RuntimeError("search engine did not answer")
        return type(backend).__name__
    _check_database()
    return "database"


CHECKS = {
    "database": _check_database,
    "search": _check_search,
    "storage": _check_storage,
    "cache": _check_cache,
}


@never_cache
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
            results[name] = {"ok": True, "backend": detail}
        except Exception as exc:  # any failure means the service is down for us
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
