"""Synonyms as content (search/synonyms.py, SynonymGroup): a group's words find each
other's pages, one way where it says so, from the search after it is saved, on the
database backend and the engine alike, without re-indexing; the index holds only what
pages say."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from pioneer.core.text import segmentation
from search import service, synonyms
from search.models import SynonymGroup
from tests.support.engine import require_engine
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


def _titles(query):
    outcome = service.search(query, Locale.objects.get(language_code="zh-hans"), page_size=50)
    return {hit.page.title for hit in outcome.hits}, outcome


def _group(terms, also="", **fields):
    group = SynonymGroup(terms=terms, also_finds=also, **fields)
    group.full_clean()
    group.save()
    return group


@pytest.fixture(autouse=True)
def no_groups(request):
    """Each test's own groups only (the site's setup loads the shipped ones)."""
    if "shipped" not in request.node.name:
        SynonymGroup.objects.all().delete()


@pytest.fixture
def crops():
    return {
        "potato": make_lesson("马铃薯晚疫病的防治"),
        "everyday": make_lesson("土豆丰产栽培要点"),
        "chestnut": make_lesson("荸荠的水田栽培"),
        "hoof": make_lesson("马蹄铁的钉法"),
    }


def test_the_index_holds_only_what_pages_say():
    assert "电商" not in segmentation.index_words("发展农村电子商务")
    assert "马铃薯" not in segmentation.index_words("土豆丰产栽培要点")


def test_each_word_of_a_group_finds_the_others_pages(crops):
    _group("马铃薯、土豆、洋芋")
    for query in ("马铃薯", "土豆", "洋芋", "洋芋 栽培"):
        found, outcome = _titles(query)
        assert "马铃薯晚疫病的防治" in found or "栽培" in query, query
        assert "土豆丰产栽培要点" in found, query
    found, outcome = _titles("洋芋")
    assert outcome.synonyms == ["马铃薯", "土豆"]


def test_a_one_way_word_finds_the_other_but_not_the_reverse(crops):
    _group("马蹄", also="荸荠")
    assert {"荸荠的水田栽培", "马蹄铁的钉法"} <= _titles("马蹄")[0]
    assert _titles("荸荠")[0] == {"荸荠的水田栽培"}


def test_a_group_takes_effect_at_the_next_search_and_a_retired_one_stops(crops):
    assert "马铃薯晚疫病的防治" not in _titles("洋芋")[0]
    group = _group("马铃薯、洋芋")
    assert "马铃薯晚疫病的防治" in _titles("洋芋")[0]  # nothing was re-indexed
    group.active = False
    group.save()
    assert "马铃薯晚疫病的防治" not in _titles("洋芋")[0]


def test_a_word_that_spans_several_query_words_is_found(crops):
    """A group's word the dictionary lacks is several words to the query: still its
    group's."""
    make_lesson("红薯粉丝加工")
    _group("甘薯、山芋、红薯、白薯")
    assert "红薯粉丝加工" in _titles("山芋")[0]
    assert segmentation.query_words("白薯") and "红薯粉丝加工" in _titles("白薯加工")[0]


def test_results_mark_the_synonym_found(crops):
    _group("马铃薯、土豆")
    found, outcome = _titles("土豆")
    snippets = {hit.page.title: str(hit.snippet) for hit in outcome.hits}
    assert "<mark>马铃薯</mark>" in snippets["马铃薯晚疫病的防治"]


def test_titles_with_a_synonym_rank_as_title_matches():
    make_lesson("种植技术汇编", summary="其中一节讲马铃薯")
    make_lesson("马铃薯种植技术")
    _group("马铃薯、土豆")
    found, outcome = _titles("土豆 种植")
    assert outcome.hits[0].page.title == "马铃薯种植技术"


@pytest.mark.parametrize(
    "terms, also, field, message",
    [
        ("马铃薯", "", "terms", "至少要有两个词"),
        ("", "", "terms", "至少填写一个词"),
        ("马铃薯、土豆!", "", "terms", "不是一个词"),
        ("马铃薯", "马铃薯", "also_finds", "已经在同义词里了"),
        ("马铃薯、___", "", "terms", "不是一个词"),
        ("三、3", "", "terms", "不是一个词"),
        ("、".join(f"词{n}" for n in range(21)), "", "terms", "最多 20 个词"),
    ],
)
def test_a_group_that_cannot_work_is_refused_in_words_an_editor_reads(terms, also, field, message):
    with pytest.raises(ValidationError) as refused:
        _group(terms, also)
    assert message in " ".join(refused.value.message_dict[field])


def test_words_are_read_as_typed_in_any_form():
    assert synonyms.parse_terms("馬鈴薯，土豆 洋芋/ＩＰＴＶ;土豆") == [
        "马铃薯",
        "土豆",
        "洋芋",
        "iptv",
    ]


def test_the_shipped_groups_are_loaded_by_the_site_setup():
    group = SynonymGroup.objects.get(key="cedict:马铃薯")
    assert {"土豆", "洋芋"} <= set(group.words()[0]) and group.source.startswith("CC-CEDICT")
    assert SynonymGroup.objects.get(key="programme:远程教育").active


def test_the_shipped_groups_know_zhejiangs_own_names():
    """zhejiang.jsonl: 洋番薯 is the potato (a word spanning 洋 + 番薯 wins over 番薯, the
    sweet potato), 落苏 the aubergine, and 橘子 finds citrus lessons one way."""
    make_lesson("马铃薯春播测试课")
    make_lesson("甘薯育苗测试课")
    make_lesson("茄子嫁接测试课")
    make_lesson("柑橘修剪测试课")
    assert _titles("洋番薯")[0] == {"马铃薯春播测试课"}
    assert "茄子嫁接测试课" in _titles("落苏")[0]
    assert "柑橘修剪测试课" in _titles("橘子")[0]
    assert SynonymGroup.objects.filter(key__startswith="zhejiang:").count() >= 9


def test_the_shipped_groups_let_typhoon_find_the_typhoon_defence_notices():
    """防台 (防御台风) is how notices on typhoon defence say it: 防汛防台."""
    make_lesson("汛期站点值守测试课", summary="在防汛防台期间，站点按要求转发应急信息。")
    make_lesson("台风天气测试课")
    assert {"汛期站点值守测试课", "台风天气测试课"} <= _titles("台风")[0]
    assert "台风天气测试课" not in _titles("防台")[0]


@require_engine()
@pytest.mark.engine
def test_on_the_engine_too_a_synonym_finds_the_page(crops, engine):
    _group("马铃薯、土豆、洋芋")
    _group("马蹄", also="荸荠")
    found, outcome = _titles("洋芋")
    assert outcome.backend != "database"
    assert {"马铃薯晚疫病的防治", "土豆丰产栽培要点"} <= found
    assert _titles("荸荠")[0] == {"荸荠的水田栽培"}


def test_the_search_page_says_which_words_it_also_searched(client, crops):
    _group("马铃薯、土豆、洋芋")
    html = client.get("/zh-hans/search/", {"q": "洋芋"}).content.decode()
    assert "同时搜索了：马铃薯、土豆" in html
    assert "同时搜索了" not in client.get("/zh-hans/search/", {"q": "荸荠"}).content.decode()


def test_a_one_way_word_finds_the_whole_group_of_its_target():
    make_lesson("红薯粉丝加工")
    _group("甘薯、红薯")
    _group("番薯", also="甘薯")
    assert "红薯粉丝加工" in _titles("番薯")[0]
    assert "番薯" not in _titles("红薯")[1].synonyms


def test_a_word_in_many_groups_still_makes_a_query_the_backend_takes():
    make_lesson("蔬菜种植要点")
    for group in range(15):
        _group("种植、" + "、".join(f"栽培法{group}式{n}" for n in range(19)))
    clauses = synonyms.clauses_for(["种植", "要点"])
    assert sum(len(clause) for clause in clauses) <= synonyms.MAX_QUERY_CHOICES
    assert all(len(clause) <= synonyms.MAX_CHOICES for clause in clauses)
    assert "蔬菜种植要点" in _titles("种植 要点")[0]
