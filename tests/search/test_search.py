"""Search in Chinese on the database backend: words inside sentences, variants, filters."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from lessons.models import LessonPage
from news.models import PolicyPage
from pioneer.core.text import segmentation
from search import service
from tests.support.factories import make_lesson, make_policy

# The segmentation tests read no database; the search tests carry the mark themselves.


def _zh():
    return Locale.objects.get(language_code="zh-hans")


def titles(query, **params):
    filters = service.parse_filters(params, _zh())
    outcome = service.search(query, _zh(), filters, page=1, page_size=50)
    return [hit.page.title for hit in outcome.hits], outcome


# --- segmentation ------------------------------------------------------------------


def test_words_inside_a_sentence_are_indexed():
    words = segmentation.index_words("今年我们村推广水稻病虫害绿色防控技术")
    for word in ["水稻", "病虫害", "绿色", "防控", "技术", "虫害"]:
        assert word in words


def test_traditional_and_full_width_fold_to_simplified_half_width():
    assert segmentation.query_words("遠程教育") == ["远程教育"]
    assert segmentation.query_words("５Ｇ 基站") == ["5g", "基站"]


def test_doc_numbers_index_as_one_word_in_any_form():
    key = segmentation.query_words("浙组通[２０２４]３号")
    assert key == ["浙组通2024n3"]
    assert key[0] in segmentation.index_words("根据浙组通〔2024〕3号文件精神")


def test_english_words_are_stemmed():
    assert segmentation.query_words("Stations") == ["station"]


# --- the search --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_word_inside_a_body_is_found():
    lesson = make_lesson(
        "测试课程甲",
        body=[
            (
                "paragraph",
                __import__("wagtail.rich_text", fromlist=["RichText"]).RichText(
                    "<p>本村种植的茭白长势喜人，介绍茭白田管理方法。</p>"
                ),
            )
        ],
    )
    found, _outcome = titles("茭白")
    assert lesson.title in found


@pytest.mark.django_db
@pytest.mark.demo
@pytest.mark.parametrize("query", ["远教", "遠程教育", "電商", "医保", "医疗保险"])
def test_variants_and_synonyms_find_pages(query):
    found, _outcome = titles(query)
    assert found, query


@pytest.mark.django_db
@pytest.mark.demo
def test_title_matches_rank_first():
    found, _outcome = titles("水稻")
    in_title = ["水稻" in title for title in found]
    assert in_title[0] and False in in_title
    assert in_title == sorted(in_title, reverse=True)  # every title match before the rest


@pytest.mark.django_db
def test_doc_number_variants_find_the_document_first():
    policy = make_policy("文号变体测试文件", doc_number="浙测搜〔2026〕11号")
    code, rest = policy.doc_number.split("〔")
    year, number = rest.rstrip("号").split("〕")
    for typed in [f"{code}[{year}]{number}号", f"{code}（{year}）{number}", policy.doc_number]:
        found, outcome = titles(typed)
        assert outcome.numbered and outcome.numbered[0].pk == policy.pk
        assert found[0] == policy.title


@pytest.mark.django_db
def test_doc_number_prefix_finds_its_documents():
    make_policy("文号前缀测试文件一", doc_number="浙远教办〔2026〕41号")
    make_policy("文号前缀测试文件二", doc_number="浙远教办〔2026〕42号")
    make_policy("其他代字的测试文件", doc_number="浙测搜〔2026〕12号")
    found, _outcome = titles("浙远教办")
    expected = PolicyPage.objects.filter(locale=_zh(), doc_number__startswith="浙远教办")
    assert {p.title for p in expected} <= set(found)


@pytest.mark.django_db
@pytest.mark.demo
def test_several_words_all_match_first_then_any():
    found, outcome = titles("水稻 育秧")
    assert found and not outcome.relaxed
    found, outcome = titles("水稻 宇宙飞船")
    assert found and outcome.relaxed


@pytest.mark.django_db
def test_pinyin_initials_find_a_title():
    lesson = make_lesson("稻田养鱼增收经验", function="theory")
    initials = segmentation.pinyin_initials(lesson.title)[:4]
    found, _outcome = titles(initials)
    assert lesson.title in found


@pytest.mark.django_db
def test_filters_by_type_function_region_and_year(search_library):
    found, _ = titles("站点", type="policy")
    assert found and all(
        PolicyPage.objects.filter(locale=_zh(), title=title).exists() for title in found
    )
    found, _ = titles("水稻", category="skills")
    assert found and all(
        LessonPage.objects.get(locale=_zh(), title=t).function == "skills" for t in found
    )
    with pytest.raises(service.BadParameter):
        service.parse_filters({"category": "magic"}, _zh())


@pytest.mark.django_db
@pytest.mark.demo
def test_snippets_highlight_the_words():
    _found, outcome = titles("病虫害")
    assert "<mark>病虫害</mark>" in str(outcome.hits[0].snippet)


@pytest.mark.django_db
def test_unpublished_and_private_pages_never_appear():
    from wagtail.models import PageViewRestriction

    hidden = make_lesson("隐藏的芋艿课程", publish=False)
    private = make_lesson("内部的芋艿课程")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    found, _ = titles("芋艿")
    assert hidden.title not in found and private.title not in found


@pytest.mark.django_db
def test_promoted_results_come_first(client, search_library):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    lesson = make_lesson("红船精神测试课", function="theory")  # holds no 水稻
    SearchPromotion.objects.create(query=Query.get("水稻"), page=lesson, sort_order=0)
    found, outcome = titles("水稻")
    assert found[0] == lesson.title and outcome.hits[0].promoted


@pytest.mark.django_db
def test_nothing_found_suggests_single_words(client):
    with translation.override("zh-hans"):
        html = client.get("/zh-hans/search/", {"q": "宇宙飞船 火星"}).content.decode()
    assert "没有找到相关内容" in html


# --- the JSON API ------------------------------------------------------------------


@pytest.mark.django_db
def test_api_search_contract(client, search_library):
    response = client.get("/api/search/", {"q": "水稻", "page_size": "3"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"query", "count", "backend", "results"}
    assert data["backend"] == "database"
    assert len(data["results"]) == 3 and data["count"] >= 3
    assert set(data["results"][0]) >= {"id", "source_id", "type", "title", "url", "snippet", "date"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "水稻", "type": "video"},
        {"q": "水稻", "category": "x"},
        {"q": "水稻", "region": "mars"},
        {"q": "水稻", "page": "abc"},
        {"q": "水稻", "page": "-1"},
        {"q": "水稻", "page_size": "0"},
        {"q": "水稻", "page_size": "100000"},
        {"q": "水稻", "locale": "fr"},
    ],
)
def test_api_search_bad_parameters_get_400_json(client, params):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ['"(((', "AND OR NOT", "*", "NEAR(a b", "x" * 2000, "\x00\x07", "😀🌾", "'", "-水稻", "^"],
)
def test_hostile_queries_never_fail(client, query):
    assert client.get("/api/search/", {"q": query}).status_code in (200, 400)
    assert client.get("/zh-hans/search/", {"q": query}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["红船", "红船起", "hcqh", "hc"])
def test_title_suggestions_for_chinese_prefixes_and_pinyin(client, prefix):
    make_lesson("红船起航：中国共产党的诞生", function="theory")
    make_lesson("红色家风测试课", function="theory")  # starts like it, not like 红船
    data = client.get("/api/search/suggest/", {"q": prefix}).json()
    assert "红船起航：中国共产党的诞生" in [s["title"] for s in data["suggestions"]]


@pytest.mark.django_db
def test_title_suggestions_bad_input(client):
    assert client.get("/api/search/suggest/").status_code == 400
    assert client.get("/api/search/suggest/", {"q": '"(('}).status_code == 200
