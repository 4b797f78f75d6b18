"""News and the policy library: filters, document numbers, status banners, change log."""

import datetime

import pytest
from wagtail.rich_text import RichText

from news.models import NewsIndexPage, NewsPage, PolicyPage, PolicyRelation
from pioneer.models import Region
from tests.support.factories import (
    make_document,
    make_news,
    make_policy,
    news_section,
    policy_library,
)

pytestmark = pytest.mark.django_db


@pytest.mark.demo
def test_demo_news_covers_at_least_eight_regions():
    regions = set(
        NewsPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .values_list("region__slug", flat=True)
    )
    assert len(regions - {None}) >= 8


@pytest.mark.demo
def test_demo_has_ten_policies_with_amendments_and_repeals():
    assert PolicyPage.objects.live().filter(locale__language_code="zh-hans").count() >= 10
    statuses = set(PolicyPage.objects.values_list("status", flat=True))
    assert {"amended", "repealed"} <= statuses
    assert PolicyRelation.objects.exists()


def test_news_index_filters_by_region_and_year(client):
    news = make_news("筛选测试：杭州的新闻", "hangzhou", date=datetime.date(2025, 6, 1))
    # What the filters must leave out: another city's news and a province-wide item.
    make_news("筛选测试：湖州的新闻", "huzhou", date=datetime.date(2025, 6, 2))
    make_news("筛选测试：全省的新闻", date=datetime.date(2025, 6, 3))
    index = NewsIndexPage.objects.get(locale__language_code="zh-hans", slug="news")
    html = client.get(index.url, {"region": news.region.slug, "year": news.date.year}).content
    html = html.decode()
    assert news.title in html
    for other in (
        NewsPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .exclude(region=news.region)
        .exclude(region__parent=news.region)
    ):
        assert f">{other.title}<" not in html


def test_region_page_lists_only_its_region(client):
    # A city's section: the province's lists every item, more than one page holds.
    region_index = news_section("huzhou")
    make_news("分区测试：湖州市的新闻", "huzhou")
    make_news("分区测试：安吉县的新闻", "anji")  # a county of the city
    make_news("分区测试：杭州市的新闻", "hangzhou")
    html = client.get(region_index.url).content.decode()
    covered = set(Region.subtree(region_index.region_id).values_list("pk", flat=True))
    for item in NewsPage.objects.live().filter(locale__language_code="zh-hans"):
        inside = item.region_id in covered
        assert (f">{item.title}<" in html) == inside or not inside


def test_doc_number_is_stored_in_canonical_form():
    page = make_policy("规范文号测试", doc_number="浙测通[２０２６]７号")
    page.refresh_from_db()
    assert page.doc_number == "浙测通〔2026〕7号"


def test_duplicate_doc_number_is_refused_in_the_admin_form(client, admin_user):
    make_policy("先发的文件", doc_number="浙测通〔2026〕8号")
    client.force_login(admin_user)
    url = f"/admin/pages/add/news/policypage/{policy_library().pk}/"
    data = {
        "title": "重复文号的文件",
        "slug": "chongfu",
        "doc_type": "notice",
        "status": "in_force",
        "issuer": "测试发文机关",
        "doc_number": "浙测通（2026）8号",
        "issue_date": "2026-03-01",
        "body-count": "0",
        "relations-TOTAL_FORMS": "0",
        "relations-INITIAL_FORMS": "0",
        "relations-MIN_NUM_FORMS": "0",
        "relations-MAX_NUM_FORMS": "1000",
        "tags": "",
        "action-publish": "action-publish",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已被《先发的文件》使用" in response.content.decode()
    assert not PolicyPage.objects.filter(slug="chongfu").exists()


def test_policy_library_finds_a_document_by_any_number_variant(client):
    make_policy("按文号查找", doc_number="浙测通〔2026〕9号")
    for typed in ["浙测通[2026]9号", "浙测通（2026）9号", "浙测通〔２０２６〕９号"]:
        html = client.get(policy_library().url, {"number": typed}).content.decode()
        assert "按文号查找" in html
        assert "共 1 份文件" in html


def test_repealed_document_shows_a_banner_pointing_to_its_replacement(client):
    old = make_policy("旧办法", doc_number="浙测通〔2025〕1号", status="repealed")
    new = make_policy("新办法", doc_number="浙测通〔2026〕1号", relations=[("repeals", old)])
    html = client.get(old.url).content.decode()
    assert "本文件已废止" in html
    assert new.title in html and new.url in html
    assert "本文件已" not in client.get(new.url).content.decode()


def test_amended_document_banner(client):
    old = make_policy("待修订的方案", doc_number="浙测通〔2025〕2号", status="amended")
    make_policy("修订决定", doc_number="浙测通〔2026〕2号", relations=[("amends", old)])
    html = client.get(old.url).content.decode()
    assert "本文件已修订" in html
    assert "修订决定" in html


def test_policy_page_shows_its_public_change_log(client):
    page = make_policy("有修订记录的文件", doc_number="浙测通〔2026〕3号")
    page.change_note = "根据机构调整修订第二条"
    page.save_revision().publish()
    draft = PolicyPage.objects.get(locale__language_code="zh-hans", pk=page.pk)
    draft.change_note = "尚未发布的修改"
    draft.save_revision()  # a draft: not part of the public record
    html = client.get(page.url).content.decode()
    assert "修订记录" in html
    assert "根据机构调整修订第二条" in html
    assert "尚未发布的修改" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"type": "nonsense"},
        {"status": "sideways"},
        {"year": "20x6"},
        {"issuer": "不存在的机关"},
        {"number": "乱写"},
        {"page": "abc"},
    ],
)
def test_policy_filters_with_bad_values_never_fail(client, params):
    response = client.get(policy_library().url, params)
    assert response.status_code in (200, 404)


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_index_page_queries_do_not_grow(client):
    news_index = NewsIndexPage.objects.get(locale__language_code="zh-hans", slug="news")
    before = (_count_queries(client, news_index.url), _count_queries(client, policy_library().url))
    parent = (
        NewsIndexPage.objects.filter(locale__language_code="zh-hans").exclude(region=None).first()
    )
    for i in range(12):
        page = NewsPage(title=f"计数新闻{i}", summary="摘要", region=parent.region)
        parent.add_child(instance=page)
        page.save_revision().publish()
        make_policy(f"计数文件{i}", doc_number=f"浙计通〔2026〕{i + 1}号", issuer=f"机关{i}")
    after = (_count_queries(client, news_index.url), _count_queries(client, policy_library().url))
    assert after == before


@pytest.mark.parametrize(
    "typed", ["浙测通[2026]4号", "浙测通（2026）4号", "浙测通〔２０２６〕４号"]
)
def test_search_finds_a_document_by_any_number_variant(client, typed):
    make_policy("按文号搜索的文件", doc_number="浙测通〔2026〕4号")
    html = client.get("/zh-hans/search/", {"q": typed}).content.decode()
    assert "按文号找到的文件" in html
    assert "按文号搜索的文件" in html


def test_policy_attachments_show_type_and_size(client):
    attachment = ("attachment", {"document": make_document("测试附件"), "title": ""})
    policy = make_policy(
        "附有附件的测试文件",
        doc_number="浙测通〔2026〕31号",
        body=[("paragraph", RichText("<p>全文</p>")), attachment],
    )
    html = client.get(policy.url).content.decode()
    assert "PDF · " in html


def test_duplicate_doc_number_is_refused_on_every_save_path():
    from django.core.exceptions import ValidationError

    make_policy("原件", doc_number="浙测通〔2026〕5号")
    with pytest.raises(ValidationError):
        make_policy("重复件", doc_number="浙测通[2026]5号")
    assert PolicyPage.objects.filter(doc_number="浙测通〔2026〕5号").count() == 1


def test_copying_a_policy_leaves_the_copy_without_a_number():
    original = make_policy("被复制的文件", doc_number="浙测通〔2026〕6号")
    copy = original.copy(update_attrs={"slug": "fuzhi", "title": "复制件"}, keep_live=False)
    assert copy.specific.doc_number == ""
