"""Search on a real engine node started by deploy/local/opensearch or deploy/local/elasticsearch.

``SEARCH_ENGINE_URL`` (e.g. opensearch://127.0.0.1:9200, elasticsearch7://127.0.0.1:9210)
points the tests at the node;
without it they are skipped, unless ``REQUIRE_ENGINE=1`` (CI) makes that a failure.
"""

import subprocess
import time

import pytest
from wagtail.models import Locale

from lessons.models import LessonPage
from search import service
from search.models import PendingIndexUpdate
from tests.support.engine import ENGINE_LABEL, ENGINE_SCRIPT, ENGINE_URL, require_engine
from tests.support.factories import make_lesson

SCRIPT = ENGINE_SCRIPT

pytestmark = [require_engine(), pytest.mark.engine, pytest.mark.django_db]
# Tests that need pages ask for search_library before engine: the engine fixture indexes
# the pages that exist when it starts.


def _port():
    return ENGINE_URL.rsplit(":", 1)[-1].strip("/")


def _zh():
    return Locale.objects.get(language_code="zh-hans")


def _titles(query):
    outcome = service.search(query, _zh(), page_size=20)
    return [hit.page.title for hit in outcome.hits], outcome


@pytest.mark.parametrize(
    "query",
    ["水稻", "病虫害", "远教", "電商", "医保", "５Ｇ 基站", "浙远教办〔2024〕3号", "浙远教办"],
)
@pytest.mark.demo
def test_engine_finds_chinese_words(engine, query):
    found, outcome = _titles(query)
    assert outcome.backend == ENGINE_LABEL and not outcome.degraded
    assert found, query


def test_engine_and_database_agree_on_words(search_library, engine):
    """Both backends index the same words, so a query finds the same documents."""
    from django.test import override_settings

    for query in ["水稻", "直播 带货", "遠程教育", "叠盘出苗", "浙远教办"]:
        on_engine = {hit.page.pk for hit in service.search(query, _zh(), page_size=100).hits}
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": engine["database"]}):
            outcome = service.search(query, _zh(), page_size=100)
            assert outcome.backend == "database"
            on_database = {hit.page.pk for hit in outcome.hits}
        overlap = len(on_engine & on_database) / len(on_engine | on_database)
        assert overlap >= 0.9, (query, overlap)


def test_the_count_comes_with_the_hits(search_library, engine, monkeypatch):
    """More matches than candidates: the engine's total, from the search request itself."""
    from django.test import override_settings
    from wagtail.search.backends import get_search_backend

    count_requests = []
    client_class = type(get_search_backend("default").es)  # every backend's client
    real_count = client_class.count

    def count(self, *args, **kwargs):
        count_requests.append(1)
        return real_count(self, *args, **kwargs)

    monkeypatch.setattr(client_class, "count", count)
    monkeypatch.setattr(service, "CANDIDATES", 2)
    on_engine = service.search("水稻", _zh())
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": engine["database"]}):
        on_database = service.search("水稻", _zh())
    assert on_engine.backend == ENGINE_LABEL and on_database.backend == "database"
    assert on_engine.count == on_database.count > 2
    assert count_requests == []


def test_api_reports_the_engine(client, search_library, engine):
    answer = client.get("/api/search/", {"q": "水稻"})
    data = answer.json()
    assert data["backend"] == ENGINE_LABEL and data["count"] >= 3
    assert "no-store" not in answer.get("Cache-Control", "")  # the engine's answer may be kept


@pytest.mark.serial  # stops the node every engine test shares
def test_engine_down_search_falls_back_and_catches_up(client, search_library, engine):
    """Stop the real node: search still answers from the database, publishing works, and
    the engine receives what it missed when it comes back."""
    subprocess.run([str(SCRIPT), "stop"], check=True, timeout=120)
    try:
        response = client.get("/zh-hans/search/", {"q": "水稻"})
        assert response.status_code == 200
        assert "搜索服务暂时受限" in response.content.decode()
        assert "no-store" in response["Cache-Control"]  # nginx keeps no fallback answer
        answer = client.get("/api/search/", {"q": "水稻"})
        data = answer.json()
        assert data["backend"] == "database" and data["degraded"] and data["count"] >= 3
        assert "no-store" in answer["Cache-Control"]

        lesson = make_lesson("停机期间发布的芡实种植课", tags=["芡实"])
        assert LessonPage.objects.get(pk=lesson.pk).live
        assert PendingIndexUpdate.objects.filter(object_id=str(lesson.pk)).exists()
    finally:
        subprocess.run([str(SCRIPT), "start", "--port", _port()], check=True, timeout=300)

    found, outcome = _titles("芡实")  # the engine answers and catches up
    assert outcome.backend == ENGINE_LABEL
    assert not PendingIndexUpdate.objects.exists()
    for _attempt in range(20):  # the engine makes new documents searchable within ~1 s
        found, outcome = _titles("芡实")
        if found:
            break
        time.sleep(0.5)
    assert "停机期间发布的芡实种植课" in found and not outcome.degraded
