"""The search's filters (function, region, year) and the API's listing conditions run in
the database or the engine as conditions of the query, never as a list of page ids: an
engine refuses a terms list past ``index.max_terms_count`` (65,536 by default), which a
province-wide filter over 100,000 lessons passes."""

import datetime
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from pioneer.core.filters import Filters
from pioneer.core.models import Region
from search import service
from tests.support.engine import ENGINE_LABEL, ENGINE_URL
from tests.support.factories import make_lesson, make_news, make_policy, region

pytestmark = pytest.mark.django_db

# A query that reads nothing but page ids: a filter's pages brought into Python (to be
# sent back as a list). Subqueries on ids stay inside the query that uses them.
ONLY_IDS = re.compile(r'^SELECT (DISTINCT )?"[a-z_]+"\."(id|page_ptr_id)" FROM ')


def _zh():
    return Locale.objects.get(language_code="zh-hans")


@pytest.fixture
def many_in_hangzhou(db):
    """More lessons in Hangzhou's region than the engine test below lets a terms list hold,
    and pages each filter must drop."""
    hangzhou = region("hangzhou")
    kept = [
        make_lesson(f"蚕桑养殖测试课第{n}讲", function="skills", region=hangzhou)
        for n in range(Region.subtree(hangzhou).count() + 6)
    ]
    dropped = [
        make_lesson("蚕桑养殖理论测试课", function="theory", region=hangzhou),
        make_lesson("蚕桑养殖湖州测试课", function="skills", region=region("huzhou")),
        make_lesson(
            "蚕桑养殖往年测试课",
            function="skills",
            region=hangzhou,
            date=datetime.date(2019, 5, 1),
        ),
        make_news("蚕桑养殖湖州测试新闻", "huzhou"),
    ]
    news = make_news("蚕桑养殖杭州测试新闻", "hangzhou")
    policy = make_policy("蚕桑养殖测试办法", region=hangzhou)
    return kept, dropped, news, policy


def _found(page_size=100, **chosen):
    outcome = service.search("蚕桑养殖", _zh(), Filters(**chosen), page_size=page_size)
    return {hit.page.pk for hit in outcome.hits}, outcome


def test_filters_keep_the_right_pages_without_a_list_of_ids(many_in_hangzhou):
    kept, dropped, news, policy = many_in_hangzhou
    hangzhou = region("hangzhou")
    found, _outcome = _found(function="skills", region=hangzhou, year=2026)
    assert found == {page.pk for page in kept}
    with CaptureQueriesContext(connection) as queries:
        _found(function="skills", region=hangzhou, year=2026)
    assert not [q["sql"] for q in queries if ONLY_IDS.search(q["sql"])]

    # The region alone spans every kind that has one; the year every kind's own date.
    found, _outcome = _found(region=hangzhou)
    assert found == {page.pk for page in kept} | {dropped[0].pk, dropped[2].pk, news.pk, policy.pk}
    found, _outcome = _found(year=2019)
    assert found == {dropped[2].pk}


def test_a_filter_no_kind_can_meet_finds_nothing(many_in_hangzhou):
    found, outcome = _found(type="news", function="skills")
    assert found == set() and outcome.count == 0


def test_the_api_search_sends_no_list_of_ids(client, many_in_hangzhou):
    kept, *_rest = many_in_hangzhou
    params = {"search": "蚕桑养殖", "function": "skills", "region": "hangzhou"}
    answer = client.get("/api/v2/pages/", params | {"limit": 50})
    assert answer.status_code == 200
    assert {item["id"] for item in answer.json()["items"]} == {page.pk for page in kept} | {
        many_in_hangzhou[1][2].pk
    }
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v2/pages/", params)
    assert not [q["sql"] for q in queries if ONLY_IDS.search(q["sql"])]


@pytest.mark.engine
@pytest.mark.skipif(not ENGINE_URL, reason="no search engine: set SEARCH_ENGINE_URL to run these")
class TestOnTheEngine:
    """On a real node whose index holds a terms list of at most a few more entries than
    Hangzhou has regions: more matching pages than that, found by the engine itself."""

    @pytest.fixture
    def small_terms_limit(self, many_in_hangzhou, engine):
        from wagtail.search.backends import get_search_backend

        client = get_search_backend("default").es
        index = f"{engine['default']['INDEX_PREFIX']}*"
        limit = Region.subtree(region("hangzhou")).count() + 2
        client.indices.put_settings(index=index, body={"index": {"max_terms_count": limit}})
        assert len(many_in_hangzhou[0]) > limit
        return many_in_hangzhou

    def test_filters_run_in_the_engine(self, small_terms_limit, caplog):
        kept, dropped, news, policy = small_terms_limit
        hangzhou = region("hangzhou")
        caplog.set_level(logging.WARNING, logger="search.service")
        found, outcome = _found(function="skills", region=hangzhou, year=2026)
        assert outcome.backend == ENGINE_LABEL and not outcome.degraded
        assert found == {page.pk for page in kept}
        found, outcome = _found(region=hangzhou)
        assert outcome.backend == ENGINE_LABEL and not outcome.degraded
        assert found == {p.pk for p in kept} | {dropped[0].pk, dropped[2].pk, news.pk, policy.pk}
        found, outcome = _found(year=2019, type="lesson")
        assert outcome.backend == ENGINE_LABEL and found == {dropped[2].pk}
        assert not [r for r in caplog.records if r.name == "search.service"]

    def test_the_api_search_runs_in_the_engine(self, client, small_terms_limit, caplog):
        kept, dropped, *_rest = small_terms_limit
        caplog.set_level(logging.INFO, logger="search.service")
        answer = client.get(
            "/api/v2/pages/",
            {"search": "蚕桑养殖", "function": "skills", "region": "hangzhou", "limit": 50},
        )
        assert {item["id"] for item in answer.json()["items"]} == {p.pk for p in kept} | {
            dropped[2].pk
        }
        assert not [r for r in caplog.records if r.name == "search.service"]  # no fallback

    def test_a_condition_the_engine_has_no_field_for_goes_to_the_database(
        self, client, small_terms_limit, caplog
    ):
        """A topic (tag) is no engine field: the database runs the whole query, and the
        engine is not reported down."""
        tagged = make_lesson("蚕桑养殖专题测试课", function="skills", tags=["蚕桑"])
        caplog.set_level(logging.WARNING, logger="search.service")
        answer = client.get("/api/v2/pages/", {"search": "蚕桑养殖", "tag": "蚕桑"})
        assert answer.status_code == 200
        assert [item["id"] for item in answer.json()["items"]] == [tagged.pk]
        assert not [r for r in caplog.records if r.name == "search.service"]
