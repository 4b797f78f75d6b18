"""An issuer's code, or its code and a year, lists that issuer's documents first, newest
first, on the search page (with a link to the policy library filtered alike), in the JSON
search and in the library itself; a page that only mentions the code comes after them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from search import service
from tests.support.engine import require_engine
from tests.support.factories import make_lesson, make_policy, make_translation, policy_library

pytestmark = pytest.mark.django_db


def titles(query, **params):
    zh = Locale.objects.get(language_code="zh-hans")
    outcome = service.search(query, zh, service.parse_filters(params, zh), page_size=50)
    return [hit.page.title for hit in outcome.hits], outcome


@pytest.fixture
def documents():
    """Three 湖测发 documents over two years, one of 湖测 (a shorter code) and one of
    another issuer; a lesson whose title names the code, as a page that mentions it."""
    older = make_policy(
        "湖测发旧年份测试文件", doc_number="湖测发〔2024〕9号", issue_date=datetime.date(2024, 5, 1)
    )
    first = make_policy(
        "第一份测试通知", doc_number="湖测发〔2025〕1号", issue_date=datetime.date(2025, 3, 1)
    )
    second = make_policy(
        "第二份测试通知", doc_number="湖测发〔2025〕12号", issue_date=datetime.date(2025, 9, 1)
    )
    shorter = make_policy("短代字测试文件", doc_number="湖测〔2025〕3号")
    other = make_policy("另一机关测试文件", doc_number="杭测发〔2025〕4号")
    mention = make_lesson("学习湖测发文件精神测试课")
    return {
        "newest_first": [second, first, older],
        "shorter": shorter,
        "other": other,
        "mention": mention,
    }


def test_an_issuer_code_lists_its_documents_first_newest_first(documents):
    found, outcome = titles("湖测发")
    expected = [doc.title for doc in documents["newest_first"]]
    assert [doc.title for doc in outcome.numbered] == expected
    assert outcome.numbered_count == 3 and outcome.numbered_prefix == "湖测发"
    assert found[:3] == expected
    assert documents["mention"].title in found[3:]
    assert documents["shorter"].title not in found and documents["other"].title not in found


@pytest.mark.parametrize("typed", ["湖测发〔2025〕", "湖测发[2025]", "湖测发 2025", "湖测发2025年"])
def test_an_issuer_code_and_a_year_list_that_years_documents(documents, typed):
    found, outcome = titles(typed)
    assert [doc.doc_number for doc in outcome.numbered] == [
        "湖测发〔2025〕12号",
        "湖测发〔2025〕1号",
    ]
    assert outcome.numbered_prefix == "湖测发〔2025〕"
    assert found[:2] == ["第二份测试通知", "第一份测试通知"]


@pytest.mark.parametrize("typed", ["〔2025〕12号", "（2025）12号", "2025年第12号文件"])
def test_a_year_and_number_without_the_code_lists_every_issuers_document_so_numbered(typed):
    make_policy("湖测发的测试通知", doc_number="湖测发〔2025〕12号")
    make_policy("杭测办的测试通知", doc_number="杭测办〔2025〕12号")
    make_policy("编号更长的测试通知", doc_number="湖测发〔2025〕112号")
    make_policy("上一年的测试通知", doc_number="湖测发〔2024〕12号")
    found, outcome = titles(typed)
    assert {doc.title for doc in outcome.numbered} == {"湖测发的测试通知", "杭测办的测试通知"}
    assert set(found[:2]) == {"湖测发的测试通知", "杭测办的测试通知"}
    assert "编号更长的测试通知" not in found[:2] and "上一年的测试通知" not in found[:2]


def test_a_year_and_a_day_is_not_read_as_a_number():
    make_policy("湖测发的测试通知", doc_number="湖测发〔2025〕12号")
    assert titles("2025年12号")[1].numbered == []


def test_a_word_that_is_no_issuers_code_lists_no_documents(documents):
    _found, outcome = titles("水稻")
    assert outcome.numbered == [] and outcome.numbered_library is None


def test_the_searchs_filters_hold_for_the_documents_too(documents):
    found, outcome = titles("湖测发", type="lesson")
    assert outcome.numbered == []
    assert found == [documents["mention"].title]


def test_the_search_page_lists_them_and_links_the_library_filtered_alike(client, documents):
    html = client.get("/zh-hans/search/", {"q": "湖测发2025"}).content.decode()
    assert "文号以“湖测发〔2025〕”开头的文件，共 2 份" in html
    library = policy_library()
    link = f'href="{library.url}?number=%E6%B9%96%E6%B5%8B%E5%8F%91%E3%80%942025%E3%80%95"'
    assert link in html
    listed = client.get(library.url, {"number": "湖测发〔2025〕"}).content.decode()
    assert "第一份测试通知" in listed and "第二份测试通知" in listed
    assert "湖测发旧年份测试文件" not in listed and "短代字测试文件" not in listed


def test_the_library_takes_an_issuer_code_alone(client, documents):
    listed = client.get(policy_library().url, {"number": "湖测发"}).content.decode()
    for doc in documents["newest_first"]:
        assert doc.title in listed
    assert "短代字测试文件" not in listed and "另一机关测试文件" not in listed


def test_the_library_says_when_a_number_cannot_be_read(client, documents):
    listed = client.get(policy_library().url, {"number": "12号"}).content.decode()
    assert "部分筛选条件无法识别，已忽略。" in listed


def test_the_json_search_gives_the_documents_first(client, documents):
    data = client.get("/api/search/", {"q": "湖测发"}).json()
    assert [r["title"] for r in data["results"][:3]] == [
        doc.title for doc in documents["newest_first"]
    ]
    assert data["count"] >= 4


def test_many_documents_show_the_first_ones_and_count_them_all():
    for number in range(1, service.NUMBERED_SHOWN + 3):
        make_policy(f"批量测试文件{number}", doc_number=f"衢测发〔2025〕{number}号")
    _found, outcome = titles("衢测发")
    assert len(outcome.numbered) == service.NUMBERED_SHOWN
    assert outcome.numbered_count == service.NUMBERED_SHOWN + 2


def test_the_count_and_the_library_are_looked_up_once_a_generation():
    """The search page's first query (a document number asked by many learners) keeps
    the target of 12 queries: the count of its documents and the library's page are kept
    until the content changes."""
    for number in range(1, service.NUMBERED_SHOWN + 3):
        make_policy(f"计数测试文件{number}", doc_number=f"丽测发〔2025〕{number}号")
    titles("丽测发")
    titles("丽测发")  # Django's content types are cached now (they come in another order)
    with CaptureQueriesContext(connection) as again:
        _found, outcome = titles("丽测发")
    assert outcome.numbered_count == service.NUMBERED_SHOWN + 2 and outcome.numbered_library
    assert not [q for q in again if "COUNT(" in q["sql"] and "doc_number" in q["sql"]]
    assert not [q for q in again if "news_policyindexpage" in q["sql"]]


def test_english_search_lists_the_translated_documents_by_number(documents):
    make_translation(documents["newest_first"][0], {"第二份测试通知": "The second test notice"})
    outcome = service.search("湖测发", Locale.objects.get(language_code="en"))
    assert "The second test notice" in [doc.title for doc in outcome.numbered]


@require_engine()
@pytest.mark.engine
def test_on_the_engine_too_the_documents_come_first(documents, engine):
    """The engine indexes the pages ``documents`` made (the fixture runs first)."""
    found, outcome = titles("湖测发")
    assert outcome.backend != "database"
    assert found[:3] == [doc.title for doc in documents["newest_first"]]


def test_a_shorter_code_lists_only_its_own_documents(documents):
    _found, outcome = titles("湖测")
    assert [doc.title for doc in outcome.numbered] == [documents["shorter"].title]


def test_a_code_typed_in_traditional_characters_finds_the_same_documents(documents):
    _found, outcome = titles("湖測發")
    assert [doc.title for doc in outcome.numbered] == [
        doc.title for doc in documents["newest_first"]
    ]


def test_documents_the_public_may_not_see_are_never_listed(documents):
    from django.utils import timezone
    from wagtail.models import Page, PageViewRestriction

    hidden = documents["newest_first"][0]
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    expired = documents["newest_first"][1]
    Page.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - datetime.timedelta(days=1))
    draft = make_policy("草稿测试文件", doc_number="湖测发〔2025〕30号", publish=False)
    found, outcome = titles("湖测发")
    listed = {doc.pk for doc in outcome.numbered}
    assert listed == {documents["newest_first"][2].pk}
    for page in (hidden, expired, draft):
        assert page.title not in found


def test_the_search_page_lists_each_document_once(client, documents):
    html = client.get("/zh-hans/search/", {"q": "湖测发"}).content.decode()
    for doc in documents["newest_first"]:
        assert html.count(f">{doc.title}</a>") == 1
    assert documents["mention"].title in html


def test_the_librarys_link_keeps_the_searchs_year_and_is_left_out_for_other_filters(
    client, documents
):
    html = client.get("/zh-hans/search/", {"q": "湖测发", "year": "2025"}).content.decode()
    assert "文号以“湖测发”开头的文件，共 2 份" in html
    assert "?number=%E6%B9%96%E6%B5%8B%E5%8F%91&amp;year=2025" in html
    html = client.get("/zh-hans/search/", {"q": "湖测发", "region": "hangzhou"}).content.decode()
    assert "?number=" not in html


def test_pages_of_results_hold_every_match_once(documents, monkeypatch):
    """Past the candidates the search re-ranks, the backend's order takes over: the
    documents put ahead of it are neither repeated nor do they push a match out."""
    monkeypatch.setattr(service, "CANDIDATES", 2)
    mentions = [make_lesson(f"学习湖测发文件精神测试课{n}") for n in range(5)]
    zh = Locale.objects.get(language_code="zh-hans")
    seen = []
    for number in range(1, 6):
        outcome = service.search("湖测发", zh, page=number, page_size=2)
        seen += [hit.page.pk for hit in outcome.hits]
    expected = [doc.pk for doc in documents["newest_first"]]
    assert seen[:3] == expected
    assert sorted(seen[3:]) == sorted([documents["mention"].pk] + [m.pk for m in mentions])
