"""A search that finds less than a page (ten) widens itself (search/service.py, ``_widen``):
the shorter words inside its words are searched for too, what only they find comes after
every direct result, the page and the API say which words were searched for instead, and
the search log counts only the direct results."""

import re
from html import unescape

import pytest
from django.utils import timezone
from wagtail.models import Locale

from pioneer.core.text import segmentation
from search import service
from search.models import SearchQueryDay, SynonymGroup
from tests.support.engine import require_engine
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


def _search(query, **params):
    locale = Locale.objects.get(language_code="zh-hans")
    return service.search(query, locale, page_size=50, **params)


def _titles(outcome):
    return [hit.page.title for hit in outcome.hits]


@pytest.fixture(autouse=True)
def no_groups():
    """No synonym group widens these words instead (the site's setup loads some)."""
    SynonymGroup.objects.all().delete()


@pytest.fixture
def planthoppers():
    """Pages on 飞虱 (planthoppers), none of them on 稻飞虱 (the rice planthopper)."""
    return [
        make_lesson("飞虱的防治测试课"),
        make_lesson("白背飞虱的发生测试课"),
        make_lesson("茶叶采摘测试课"),
    ]


@pytest.fixture
def rice_planthoppers(planthoppers):
    """Two pages on 稻飞虱, one in its title and one only in its summary."""
    return [
        make_lesson("稻飞虱的识别测试课"),
        make_lesson("水稻病虫测报测试课", summary="本课讲到稻飞虱在田间的发生规律和测报方法。"),
    ]


WIDENED = {"飞虱的防治测试课", "白背飞虱的发生测试课"}
DIRECT = {"稻飞虱的识别测试课", "水稻病虫测报测试课"}


def test_the_parts_of_a_word_are_the_dictionarys_words_or_its_character_pairs():
    assert segmentation.sub_words("水稻病虫害") == ["水稻", "病虫", "虫害", "病虫害"]
    # A word the dictionary does not split: its pairs, which the index keeps for long words.
    assert segmentation.sub_words("稻飞虱") == ["稻飞", "飞虱"]
    assert segmentation.sub_words("防治") == []  # single characters would match everything
    assert segmentation.sub_words("station") == []


def test_a_word_with_no_page_finds_the_pages_on_its_parts(planthoppers):
    outcome = _search("稻飞虱")
    found = _titles(outcome)
    assert outcome.direct_count == 0 and "飞虱" in outcome.widened
    assert set(found) == WIDENED
    assert all(hit.widened for hit in outcome.hits)


def test_what_only_the_parts_find_comes_after_every_direct_result(rice_planthoppers):
    outcome = _search("稻飞虱")
    found = _titles(outcome)
    # The page with 稻飞虱 in its summary only still comes before 飞虱 in a title.
    assert set(found[:2]) == DIRECT and set(found[2:]) == WIDENED, found
    assert outcome.direct_count == 2 and outcome.widened_count == len(found) - 2
    assert [hit.widened for hit in outcome.hits[:2]] == [False, False]
    # The widened words are marked in the snippets like the learner's own.
    assert "<mark>飞虱</mark>" in str(outcome.hits[2].snippet)


def test_a_one_word_query_first_finds_the_pages_with_all_its_parts():
    make_lesson("乡村道路养护测试课")
    make_lesson("文化振兴测试课")
    make_lesson("推动乡村全面振兴测试课")
    outcome = _search("乡村振兴")
    assert outcome.direct_count == 0 and outcome.widened == ["乡村", "振兴"]
    found = _titles(outcome)
    assert found[0] == "推动乡村全面振兴测试课"
    assert set(found[1:]) == {"乡村道路养护测试课", "文化振兴测试课"}


def test_a_search_that_fills_a_page_is_not_widened(rice_planthoppers):
    for n in range(8):
        make_lesson(f"稻飞虱的测报测试课{n}")
    outcome = _search("稻飞虱")
    assert outcome.widened == [] and outcome.widened_count == 0
    assert not WIDENED & set(_titles(outcome))


def test_the_search_page_says_what_it_searched_for_instead(client, planthoppers):
    html = client.get("/zh-hans/search/", {"q": "稻飞虱"}).content.decode()
    assert "没有完全符合的结果，改为搜索了：稻飞、飞虱" in html
    assert "飞虱的防治测试课" in html
    make_lesson("稻飞虱的识别测试课")
    html = client.get("/zh-hans/search/", {"q": "稻飞虱"}).content.decode()
    assert "完全符合的结果较少，排在后面的是包含这些词的内容：稻飞、飞虱" in html
    html = client.get("/zh-hans/search/", {"q": "茶叶采摘"}).content.decode()
    assert "改为搜索" not in html and "排在后面" not in html


def test_the_api_says_which_results_the_widening_found(client, rice_planthoppers):
    answer = client.get("/api/search/", {"q": "稻飞虱"}).json()
    assert "飞虱" in answer["widened_words"]
    flags = [result["widened"] for result in answer["results"]]
    assert flags[:2] == [False, False] and all(flags[2:]) and len(flags) > 2


def test_the_search_log_counts_a_widened_only_search_as_finding_nothing(client, planthoppers):
    html = client.get("/zh-hans/search/", {"q": "稻飞虱"}).content.decode()
    assert "飞虱的防治测试课" in html
    seen = re.search(r'<img src="([^"]+/search/seen/[^"]+)"', html).group(1)
    assert client.get(unescape(seen)).status_code == 200
    row = SearchQueryDay.objects.get(query="稻飞虱", day=timezone.localdate())
    assert (row.searches, row.empty, row.last_count) == (1, 1, 0)


def test_a_document_number_is_not_widened():
    from tests.support.factories import make_policy

    make_policy("飞虱测报测试通知", doc_number="浙测虱〔2026〕3号")
    outcome = _search("浙测虱〔2026〕3号")
    assert outcome.widened == []


@require_engine()
@pytest.mark.engine
def test_on_the_engine_too_the_parts_are_searched_and_ranked_after(rice_planthoppers, engine):
    outcome = _search("稻飞虱")
    assert outcome.backend != "database"
    found = _titles(outcome)
    assert set(found[:2]) == DIRECT and set(found[2:]) == WIDENED, found


def test_a_two_character_word_no_page_has_finds_pages_with_both_characters():
    make_lesson("雷竹林覆盖早出笋测试课", summary="冬季覆盖后，笋可以提早一个多月上市。")
    make_lesson("竹笋加工测试课", summary="鲜笋的保鲜和加工。")
    outcome = _search("雷笋")
    assert outcome.direct_count == 0 and outcome.widened == ["雷", "笋"]
    # Both characters as words, never one alone (nearly every page has one of them).
    assert _titles(outcome) == ["雷竹林覆盖早出笋测试课"]


def test_a_two_character_word_some_pages_have_is_not_split_into_characters():
    make_lesson("茶叶采摘测试课")
    make_lesson("采茶时节测试课", summary="茶园里的叶片要嫩。")
    outcome = _search("茶叶")
    assert outcome.widened == [] and _titles(outcome) == ["茶叶采摘测试课"]


def test_widening_does_not_wait_again_for_an_engine_that_failed(planthoppers, settings):
    """The direct search fell back to the database: the widening starts there too."""
    from unittest import mock

    calls = []
    real = service.find_candidates

    def spy(queryset, clauses, operator, names, autocomplete=False):
        calls.append(list(names))
        return real(queryset, clauses, operator, names[-1:], autocomplete)

    with mock.patch.object(service, "search_backends", return_value=["engine", "default"]):
        with mock.patch.object(service, "find_candidates", side_effect=spy):
            with mock.patch.object(service, "_backend_label", return_value="database"):
                with mock.patch.object(service, "_catch_up"):
                    outcome = _search("稻飞虱")
    assert outcome.widened and calls[0] == ["engine", "default"]
    assert all(names == ["default"] for names in calls[1:]), calls
