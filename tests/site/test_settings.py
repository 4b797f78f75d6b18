"""Production settings come from the environment and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-production-test-key-" + "z" * 30,
    "ALLOWED_HOSTS": "www.example.org",
    "SITE_URL": "https://www.example.org",
    # An empty database: the check that the Site matches SITE_URL has nothing to compare.
    "DATABASE_URL": "sqlite:///:memory:",
    "DEBUG": "false",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, extra_env=None):
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_requires_allowed_hosts():
    env = dict(PRODUCTION_ENV)
    env.pop("ALLOWED_HOSTS")
    result = _manage("check", extra_env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


EMBEDDED_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps([s.LANGUAGE_CODE, s.TIME_ZONE, s.DATABASES["default"]["ENGINE"],
    s.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"], s.CACHES["default"]["BACKEND"],
    s.STORAGES["default"]["BACKEND"]]))
"""


def test_embedded_defaults():
    # In a fresh process without the services this test run may be configured with.
    services = ("DATABASE_URL", "SEARCH_URL", "CACHE_URL", "MEDIA_STORAGE")
    env = {k: v for k, v in os.environ.items() if k not in services}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", EMBEDDED_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    language, zone, database, search, cache, storage = json.loads(result.stdout)
    assert language == "zh-hans"
    assert zone == "Asia/Shanghai"
    assert database.endswith("sqlite3")
    assert search.endswith("database")
    assert cache.endswith("LocMemCache")
    assert storage.endswith("FileSystemStorage")


def test_search_url_selects_engine_backend():
    from pioneer.settings import search_backends_from_url as _search_backends

    backends = _search_backends("opensearch://search.local:9201")
    backend = backends["default"]
    assert backend["BACKEND"] == "search.backends.OpenSearch2Backend"
    assert backend["URLS"] == ["http://search.local:9201"]
    # The database backend stays configured: it answers when the engine is down.
    assert backends["database"]["BACKEND"] == "search.database"
    analyzer = backend["INDEX_SETTINGS"]["settings"]["analysis"]["analyzer"]["default"]
    assert analyzer["tokenizer"] == "whitespace"
    assert _search_backends("elasticsearchs://u:p@es:9200")["default"]["URLS"] == [
        "https://u:p@es:9200"
    ]
