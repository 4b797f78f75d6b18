"""Cache, sessions and rate limits on a real Redis (Debian's redis-server, started by
deploy/local/redis).

``REDIS_URL`` (e.g. redis://127.0.0.1:6379/0, which `deploy/local/redis start` prints)
points the tests at a running server; without it they are skipped, unless
``REQUIRE_REDIS=1`` (CI) makes that a failure. The outage tests start and stop a server of
their own through the same script, so the shared one is never disturbed.
"""

import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache

REDIS_URL = os.environ.get("REDIS_URL", "")
SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "local" / "redis"

if not REDIS_URL:
    if os.environ.get("REQUIRE_REDIS") == "1":
        raise RuntimeError("REQUIRE_REDIS=1 but REDIS_URL is not set")
    pytestmark = pytest.mark.skip(reason="no Redis: set REDIS_URL to run these")
else:
    pytestmark = pytest.mark.django_db


def use_redis(settings, url):
    """The site's settings for CACHE_URL=url, with keys of this test's own."""
    from pioneer.settings import caches_from_url as _caches

    caches = _caches(url)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = caches
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def shared_redis(settings):
    use_redis(settings, REDIS_URL)  # keys expire; the prefix keeps tests apart
    return settings.CACHES["default"]["KEY_PREFIX"]


class OwnRedis:
    """A redis-server of this test's own, on a free port, started by deploy/local/redis."""

    def __init__(self, home):
        self.env = {**os.environ, "REDIS_HOME": str(home)}
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def run(self, command):
        args = [str(SCRIPT), command] + (["--port", str(self.port)] if command == "start" else [])
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture
def own_redis(settings, tmp_path):
    server = OwnRedis(tmp_path / "redis")
    assert "redis ready" in server.run("start")
    use_redis(settings, server.url)
    yield server
    server.run("stop")


def raw_client(url=REDIS_URL):
    import redis

    return redis.Redis.from_url(url)


def test_cache_reads_back_what_it_stores_in_redis(shared_redis):
    cache.set("greeting", {"text": "你好"}, 30)
    assert cache.get("greeting") == {"text": "你好"}
    assert raw_client().exists(cache.make_and_validate_key("greeting")) == 1
    assert cache.add("counter", 1) and cache.incr("counter", 4) == 5
    cache.delete("greeting")
    assert cache.get("greeting") is None


def test_healthz_reports_the_redis_cache(client, shared_redis):
    data = client.get("/healthz").json()
    assert data["checks"]["cache"] == {**data["checks"]["cache"], "ok": True}
    assert data["checks"]["cache"]["backend"] == "ResilientRedisCache"


def test_rate_limits_count_in_redis(client, settings, shared_redis):
    settings.RATE_LIMIT_API = "3/m"
    codes = [client.get("/api/v2/pages/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert list(raw_client().scan_iter(match=f"{shared_redis}:*rl:*"))


def login(client, admin_user):
    response = client.post(
        "/admin/login/", {"username": admin_user.username, "password": "s3cret-Pass!"}
    )
    assert response.status_code == 302, response.content[:500]
    assert client.get("/admin/").status_code == 200


@pytest.mark.serial  # stops and starts a server: kept away from other tests' timings
def test_login_survives_a_redis_restart(client, admin_user, own_redis):
    login(client, admin_user)
    key = client.cookies["sessionid"].value
    assert any(key.encode() in k for k in raw_client(own_redis.url).scan_iter())
    own_redis.run("stop")
    own_redis.run("start")  # no persistence: the new server starts empty
    assert list(raw_client(own_redis.url).scan_iter()) == []
    assert client.get("/admin/").status_code == 200  # the session came from the database


@pytest.mark.serial
def test_site_serves_while_redis_is_down_and_healthz_says_so(client, admin_user, own_redis):
    login(client, admin_user)
    own_redis.run("stop")

    health = client.get("/healthz")
    assert health.status_code == 503
    checks = health.json()["checks"]
    assert checks["cache"]["ok"] is False and "Connection" in checks["cache"]["error"]
    assert checks["database"]["ok"] is True

    for url in ["/zh-hans/", "/zh-hans/lessons/", "/zh-hans/search/?q=水稻", "/api/v2/pages/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/").status_code == 200  # still logged in

    own_redis.run("start")
    assert client.get("/healthz").status_code == 200


def test_answers_given_through_nginx_are_noted_for_the_next_purge(client, shared_redis, settings):
    """With Redis and a purge backend, a search or API answer nginx may keep is noted, and
    nginx may keep it and serve it while it refreshes it; one nginx bypasses (elder mode)
    is neither noted nor marked."""
    from pioneer.caching import answers

    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "pioneer.caching.front_cache.NginxPurgeBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    key = f"/zh-hans/search/?q=%E6%B0%B4%E7%A8%BB&n={uuid.uuid4().hex}"
    response = client.get("/zh-hans/search/?q=水稻", HTTP_X_PIONEER_CACHE_KEY=key)
    assert response.status_code == 200 and "X-Accel-Expires" not in response
    assert response["Cache-Control"] == "stale-while-revalidate=60"
    assert key in answers.recent_answers()
    api_key = f"/api/v2/pages/?n={uuid.uuid4().hex}"
    response = client.get("/api/v2/pages/", HTTP_X_PIONEER_CACHE_KEY=api_key)
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60"
    assert api_key in answers.recent_answers()
    other = key + "&elder"
    client.cookies["mode"] = "elder"
    response = client.get("/zh-hans/search/?q=水稻", HTTP_X_PIONEER_CACHE_KEY=other)
    assert "X-Accel-Expires" not in response
    assert "stale-while-revalidate" not in response.get("Cache-Control", "")
    assert other not in answers.recent_answers()
