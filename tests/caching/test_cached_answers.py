"""nginx may keep a search or API answer only when the site could note its address for
the next purge: without Redis, with Redis away, or for an address a PURGE cannot repeat
(raw bytes beyond ASCII), the answer tells nginx not to keep it. Feeds and the API allow
any origin on every answer, so a copy cached from a request without ``Origin`` serves a
partner's page too. (With Redis and nginx: ``tests/caching/test_front_cache.py``.)"""

import time

import pytest
from django.test import override_settings

from pioneer.caching import answers, front_cache

KEY = "HTTP_X_PIONEER_CACHE_KEY"


def answer(client, url, key=None, **headers):
    if key is not None:
        headers[KEY] = key
    return client.get(url, **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/zh-hans/search/?q=水稻", "/api/v2/pages/", "/api/search/?q=水稻"]
)
def test_without_redis_nginx_is_told_not_to_keep_an_answer(client, url):
    response = answer(client, url, key=url)
    assert response.status_code == 200
    assert response["X-Accel-Expires"] == "0"
    # …nor to serve an old copy while it refreshes it (its refreshes are not kept).
    assert "stale-while-revalidate" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_with_redis_away_nginx_is_told_not_to_keep_an_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "pioneer.caching.redis.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: refused at once
        }
    }
    response = answer(client, "/zh-hans/search/?q=水稻", key="/zh-hans/search/?q=%E6%B0%B4")
    assert response.status_code == 200
    assert response["X-Accel-Expires"] == "0"
    assert "stale-while-revalidate" not in response.get("Cache-Control", "")
    with pytest.raises(answers.AnswersUnknown):  # the purge task fails: retried
        answers.recent_answers()


@pytest.mark.django_db
def test_pages_and_requests_not_through_nginx_are_left_alone(client):
    assert "X-Accel-Expires" not in answer(client, "/zh-hans/search/?q=水稻")
    assert "X-Accel-Expires" not in answer(client, "/zh-hans/", key="/zh-hans/")
    assert "X-Accel-Expires" not in answer(client, "/api/v2/pages/?limit=x", key="/api/")


def test_an_address_beyond_ascii_is_never_noted():
    assert answers.remember_answer("/zh-hans/search/?q=\xe6\xb0\xb4") is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/feeds/zh-hans/lessons/rss.xml", "/api/v2/pages/", "/embed/lessons/"]
)
def test_open_addresses_allow_any_origin_with_or_without_one(client, url):
    assert client.get(url)["Access-Control-Allow-Origin"] == "*"
    assert (
        client.get(url, HTTP_ORIGIN="https://partner.example")["Access-Control-Allow-Origin"] == "*"
    )


@pytest.mark.django_db
def test_pages_do_not_allow_other_origins(client):
    response = client.get("/zh-hans/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in response


def test_a_purge_names_chinese_addresses_as_browsers_send_them():
    assert (
        front_cache._path("http://example.org/zh-hans/课程/?q=水稻 a")
        == "/zh-hans/%E8%AF%BE%E7%A8%8B/?q=%E6%B0%B4%E7%A8%BB%20a"
    )
    assert front_cache._path("http://example.org/api/v2/pages/?q=%E6") == "/api/v2/pages/?q=%E6"


def test_a_purge_stops_at_the_first_refused_connection(caplog):
    backend = front_cache.NginxPurgeBackend({"LOCATION": "http://127.0.0.1:9"})
    backend.purge_batch([f"http://example.org/zh-hans/page-{n}/" for n in range(500)])
    assert len([r for r in caplog.records if "Could not purge" in r.message]) == 1


@pytest.mark.django_db
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    WAGTAILFRONTENDCACHE={
        "nginx": {
            "BACKEND": "pioneer.caching.front_cache.NginxPurgeBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    },
)
def test_many_engine_changes_queue_one_deferred_purge_of_the_answers(
    django_capture_on_commit_callbacks, monkeypatch
):
    """An import indexes thousands of pages: their engine changes share one purge of the
    noted answers, which waits until the last change is old enough for the engine to
    show it (a purge before that would let an answer without the change be kept); a
    change after that purge started queues the next."""
    from django.core.cache import cache
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    purges = []
    monkeypatch.setattr(
        front_cache.NginxPurgeBackend, "purge_batch", lambda self, urls: purges.append(urls)
    )
    cache.delete(front_cache.ANSWERS_PURGE_QUEUED)
    path = "pioneer.frontend_cache.purge_noted_answers"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(50):
            front_cache.purge_answers_soon()
    queued = DBTaskResult.objects.filter(task_path=path)
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now()  # deferred: the engine catches up first

    # The worker runs it while the last change is still too recent: it waits again.
    cache.set(front_cache.ANSWERS_CHANGED, time.time())
    front_cache.purge_noted_answers.func()
    assert purges == [] and queued.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        front_cache.purge_answers_soon()  # still covered by the one waiting
    assert queued.count() == 2

    # Once the last change is old enough, it purges, and the next change queues anew.
    cache.set(front_cache.ANSWERS_CHANGED, time.time() - front_cache.ANSWERS_PURGE_DELAY)
    front_cache.purge_noted_answers.func()
    assert purges == [[]]
    with django_capture_on_commit_callbacks(execute=True):
        front_cache.purge_answers_soon()
    assert queued.count() == 3
