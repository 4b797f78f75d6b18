"""设置 → 同义词: the province's offices keep every group, a city's office those of its own
region, a county's reads them; changes are revisions with who made them; 报告 → 搜索词 adds
a group with the query filled in, and a query a group now answers leaves its list."""

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from search import synonym_data
from search.models import SearchQueryDay, SynonymGroup
from tests.support.editorial import make_user
from tests.support.engine import require_engine
from tests.support.factories import make_lesson, region

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/search/synonymgroup/"
ADD = LISTING + "add/"


def _edit(group):
    return f"{LISTING}edit/{group.pk}/"


def _form(terms, also="", region_id="", active=True, note=""):
    data = {"terms": terms, "also_finds": also, "region": region_id, "note": note}
    if active:
        data["active"] = "on"
    return data


@pytest.fixture(autouse=True)
def no_shipped_groups():
    """The listings on one page: only each test's own groups."""
    SynonymGroup.objects.all().delete()


@pytest.fixture
def province(client):
    client.force_login(make_user("prov-editor", "zhejiang", "editor"))
    return client


def test_a_province_editor_adds_a_group_and_it_works_at_once(province):
    make_lesson("鸡毛菜的大棚栽培")
    response = province.post(ADD, _form("鸡毛菜、小青菜"))
    assert response.status_code == 302, response.content.decode()[:2000]
    group = SynonymGroup.objects.get(terms="鸡毛菜、小青菜")
    assert group.source == "本站编辑" and group.region is None
    revision = group.latest_revision
    assert revision is not None and revision.user.username == "prov-editor"
    found = province.get("/zh-hans/search/", {"q": "小青菜"}).content.decode()
    assert "鸡毛菜的大棚栽培" in found


@require_engine()
@pytest.mark.engine
def test_on_the_engine_a_group_added_in_the_admin_works_at_once(province, engine):
    make_lesson("鸡毛菜的大棚栽培")
    call_command("update_index", backend_name="default", verbosity=0)
    before = province.get("/zh-hans/search/", {"q": "小青菜"}).content.decode()
    assert "鸡毛菜的大棚栽培" not in before
    assert province.post(ADD, _form("鸡毛菜、小青菜")).status_code == 302
    found = province.get("/zh-hans/search/", {"q": "小青菜"}).content.decode()
    assert "鸡毛菜的大棚栽培" in found and "同时搜索了：鸡毛菜" in found
    assert "搜索服务暂时受限" not in found  # the engine answered, not the database


def test_editing_keeps_a_history_of_who_changed_what(province):
    group = SynonymGroup.objects.create(terms="芥菜、雪里蕻")
    assert province.post(_edit(group), _form("芥菜、雪里蕻、雪菜")).status_code == 302
    assert province.post(_edit(group), _form("芥菜、雪里蕻、雪菜", active=False)).status_code == 302
    group.refresh_from_db()
    assert not group.active and group.revisions.count() == 2
    history = province.get(f"{LISTING}history/{group.pk}/").content.decode()
    assert "prov-editor" in history


def test_a_bad_group_is_refused_with_the_reason_in_chinese(province):
    response = province.post(ADD, _form("鸡毛菜"))
    assert response.status_code == 200
    assert "一组至少要有两个词" in response.content.decode()
    assert not SynonymGroup.objects.filter(terms="鸡毛菜").exists()


def test_a_city_office_reads_every_group_and_keeps_only_its_own_regions(client):
    hangzhou, huzhou = region("hangzhou"), region("huzhou")
    own = SynonymGroup.objects.create(terms="番薯、番芋", region=hangzhou)
    other = SynonymGroup.objects.create(terms="山芋、山薯", region=huzhou)
    province_group = SynonymGroup.objects.create(terms="芋艿、毛芋")
    client.force_login(make_user("hz-editor", "hangzhou", "editor"))
    listing = client.get(LISTING).content.decode()
    assert "番薯、番芋" in listing and "山芋、山薯" in listing and "芋艿、毛芋" in listing
    # Only its own group links to an edit form (the others would answer 403).
    assert _edit(own) in listing
    assert _edit(other) not in listing and _edit(province_group) not in listing
    client.force_login(make_user("prov-editor", "zhejiang", "editor"))
    listing = client.get(LISTING).content.decode()
    assert all(_edit(group) in listing for group in (own, other, province_group))
    client.force_login(make_user("hz-editor2", "hangzhou", "editor"))
    assert client.get(_edit(other)).status_code in (302, 403)
    assert client.get(_edit(province_group)).status_code in (302, 403)
    assert (
        client.post(_edit(own), _form("番薯、番芋、红苕", region_id=hangzhou.pk)).status_code == 302
    )
    # Its own regions only, and one must be chosen.
    form = client.get(ADD).content.decode()
    assert "湖州" not in form
    assert client.post(ADD, _form("蕃薯、甘储")).status_code == 200
    refused = client.post(ADD, _form("蕃薯、甘储", region_id=huzhou.pk))
    assert (
        refused.status_code == 200 and not SynonymGroup.objects.filter(terms="蕃薯、甘储").exists()
    )
    assert client.post(ADD, _form("蕃薯、甘储", region_id=hangzhou.pk)).status_code == 302


def test_a_county_office_reads_the_groups_but_keeps_none(client):
    SynonymGroup.objects.create(terms="芋艿、毛芋")
    client.force_login(make_user("tl-editor", "tonglu", "editor"))
    listing = client.get(LISTING)
    assert listing.status_code == 200 and "芋艿、毛芋" in listing.content.decode()
    assert client.get(ADD).status_code in (302, 403)


def test_no_office_deletes_a_group(province):
    group = SynonymGroup.objects.create(terms="芋艿、毛芋")
    assert province.post(f"{LISTING}delete/{group.pk}/").status_code in (302, 403)
    assert SynonymGroup.objects.filter(pk=group.pk).exists()


def _log(query, empty=3):
    SearchQueryDay.objects.create(
        query=query,
        language="zh-hans",
        day=timezone.localdate() - datetime.timedelta(days=1),
        searches=empty,
        empty=empty,
        last_count=0,
    )


def test_the_report_adds_a_synonym_for_a_query_and_drops_it_once_answered(province):
    make_lesson("薹菜的冬季栽培")
    _log("菜薹")
    report = province.get("/admin/reports/search-queries/").content.decode()
    assert f'href="{ADD}?terms=%E8%8F%9C%E8%96%B9"' in report and "添加同义词" in report
    form = province.get(ADD, {"terms": "菜薹"}).content.decode()
    assert re.search(r'name="terms"[^>]*>\s*菜薹</textarea>', form)
    assert province.post(ADD, _form("菜薹、薹菜")).status_code == 302
    report = province.get("/admin/reports/search-queries/").content.decode()
    assert "菜薹" not in report.split("没有人打开结果的搜索词")[0]


def test_a_group_that_finds_nothing_more_leaves_the_query_listed(province):
    _log("菜薹")
    SynonymGroup.objects.create(terms="菜薹、薹菜")  # no page says either
    report = province.get("/admin/reports/search-queries/").content.decode()
    assert "菜薹" in report.split("没有人打开结果的搜索词")[0]


# --- the shipped groups ----------------------------------------------------------------


def test_loading_again_updates_shipped_groups_and_keeps_editors_changes(tmp_path, province):
    data = tmp_path / "groups.jsonl"
    data.write_text(
        '{"key": "t:1", "terms": ["芋艿", "毛芋"], "source": "测试"}\n'
        '{"key": "t:2", "terms": ["菱角", "水栗子"], "source": "测试"}\n',
        encoding="utf-8",
    )
    assert synonym_data.load([data]) == (2, 0, 0)
    assert synonym_data.load([data]) == (0, 0, 0)
    edited = SynonymGroup.objects.get(key="t:2")
    assert province.post(_edit(edited), _form("菱角、水栗子、菱")).status_code == 302
    data.write_text(
        '{"key": "t:1", "terms": ["芋艿", "毛芋", "芋头"], "source": "测试"}\n'
        '{"key": "t:2", "terms": ["菱角"], "also_finds": ["水栗子"], "source": "测试"}\n',
        encoding="utf-8",
    )
    assert synonym_data.load([data]) == (0, 1, 1)
    assert SynonymGroup.objects.get(key="t:1").terms == "芋艿、毛芋、芋头"
    assert SynonymGroup.objects.get(key="t:2").terms == "菱角、水栗子、菱"


def test_a_bad_line_names_its_file_and_number(tmp_path):
    data = tmp_path / "bad.jsonl"
    data.write_text(
        '{"key": "t:1", "terms": ["芋艿", "毛芋"]}\n{"key": "t:2", "terms": ["菱角"]}\n'
    )
    with pytest.raises(CommandError, match=r"bad.jsonl:2"):
        call_command("load_synonyms", str(data))
    assert not SynonymGroup.objects.filter(key__startswith="t:").exists()


def test_every_shipped_file_loads():
    for path in sorted(synonym_data.DATA.glob("*.jsonl")):
        assert synonym_data.read(path), path


def test_reverting_to_an_earlier_version_works(province):
    assert province.post(ADD, _form("芥菜、雪里蕻")).status_code == 302
    group = SynonymGroup.objects.get(terms="芥菜、雪里蕻")
    first = group.latest_revision
    assert province.post(_edit(group), _form("芥菜、雪里蕻、雪菜")).status_code == 302
    revert = f"{LISTING}history/{group.pk}/revisions/{first.pk}/revert/"
    page = province.get(revert)
    assert page.status_code == 200 and "雪里蕻" in page.content.decode()
    assert province.post(revert, _form("芥菜、雪里蕻")).status_code == 302
    group.refresh_from_db()
    assert group.terms == "芥菜、雪里蕻" and group.revisions.count() == 3


def test_groups_are_not_copied(province):
    group = SynonymGroup.objects.create(terms="芋艿、毛芋")
    assert province.get(f"{LISTING}copy/{group.pk}/").status_code == 404


def test_the_listings_filters_read_in_chinese(province):
    SynonymGroup.objects.create(terms="芋艿、毛芋", region=region("hangzhou"))
    html = province.get(LISTING, {"active": "1", "region": region("hangzhou").pk}).content
    html = html.decode()
    assert "芋艿、毛芋" in html
    assert "Hangzhou" not in html and "True" not in html
