"""报告 → 搜索词: the queries that found nothing or whose results nobody opened, over 7 and
30 days, per language, in Chinese: every office reads it, the province's reviewers (who
manage recommended results) act on it."""

import datetime
import re

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail import hooks
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from search.models import SearchQueryDay
from tests.support.editorial import make_user
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/search-queries/"


def _log(query, age, searches=1, empty=0, last_count=None, opens=0, language="zh-hans"):
    SearchQueryDay.objects.create(
        query=query,
        language=language,
        day=timezone.localdate() - datetime.timedelta(days=age),
        searches=searches,
        empty=empty,
        last_count=(0 if empty == searches else 3) if last_count is None else last_count,
        opens=opens,
    )


@pytest.fixture
def province_editor(client):
    """The province's reviewer: reads the report and may recommend results."""
    user = make_user("province-reviewer", "zhejiang", "reviewer")
    client.force_login(user)
    return user


def _sections(html):
    """The two tables' rows: ({query: [counts…]}, {query: [counts…]})."""
    nothing, _sep, unopened = html.partition("没有人打开结果的搜索词")
    return _table(nothing), _table(unopened)


def _table(html):
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        if cells:
            rows[cells[0]] = cells[1:-1]
    return rows


def test_found_nothing_and_not_opened_with_7_and_30_day_counts(client, province_editor):
    _log("宇宙飞船", age=0, searches=2, empty=2)
    _log("宇宙飞船", age=10, searches=3, empty=3)
    _log("老问题", age=40, searches=9, empty=9)  # older than 30 days
    _log("芋艿", age=1, searches=4, empty=0, opens=2)  # found and opened
    _log("叠盘出苗", age=2, searches=5, empty=0)
    _log("叠盘出苗", age=20, searches=1, empty=0)
    _log("英文词", age=0, searches=7, empty=7, language="en")
    response = client.get(REPORT)
    assert response.status_code == 200
    html = response.content.decode()
    nothing, unopened = _sections(html)
    assert nothing == {"宇宙飞船": ["2", "5"]}
    assert unopened == {"叠盘出苗": ["5", "6", "3"]}
    for words in ("搜索词", "没有找到结果的搜索词", "添加推荐结果", "查看搜索结果", "近 7 天"):
        assert words in html
    assert "Search terms" not in html.split("<main", 1)[-1]
    english = client.get(REPORT, {"language": "en"}).content.decode()
    assert _sections(english)[0] == {"英文词": ["7", "7"]}


def test_a_query_answered_since_drops_off(client, province_editor):
    _log("宇宙飞船", age=3, searches=2, empty=2)
    _log("宇宙飞船", age=0, searches=1, empty=0, last_count=4)  # new content found it today
    _log("火星基地", age=0, searches=1, empty=1)
    _log("红船起航", age=0, searches=2, empty=2)
    lesson = make_lesson("红船精神测试课")
    SearchPromotion.objects.create(query=Query.get("红船起航"), page=lesson, sort_order=0)
    nothing, _unopened = _sections(client.get(REPORT).content.decode())
    assert set(nothing) == {"火星基地"}


def test_each_row_links_to_a_prefilled_promotion_and_the_public_search(client, province_editor):
    _log("宇宙飞船", age=0, searches=1, empty=1)
    html = client.get(REPORT).content.decode()
    promote = re.search(r'href="(/admin/reports/search-queries/promote/\?q=[^"]+)"', html)
    assert promote and 'href="/zh-hans/search/?q=%E5%AE%87%E5%AE%99%E9%A3%9E%E8%88%B9"' in html
    form = client.get(promote.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    assert 'value="宇宙飞船"' in form.content.decode()


def _reports_menu(user):
    """The 报告 menu's items a user is shown: {label: address}."""
    request = RequestFactory().get("/admin/")
    request.user = user
    with translation.override("zh-hans"):
        items = [make() for make in hooks.get_hooks("register_reports_menu_item")]
        return {str(item.label): item.url for item in items if item.is_shown(request)}


def test_the_menu_item_is_ours_and_in_chinese(province_editor, admin_user):
    shown = _reports_menu(province_editor)
    assert shown["搜索词"] == REPORT
    # Wagtail's own "Search terms" (its query hits, which this site never records) is
    # hidden from everyone, superusers too: one report of what learners searched.
    for user in (province_editor, admin_user):
        labels = [str(item.label) for item in _built_reports_menu(user)]
        assert "搜索词" in labels and labels.count("搜索词") == 1
        assert not [label for label in labels if "Search terms" in label]


def _built_reports_menu(user):
    """The 报告 menu as the admin builds it, after every ``construct_reports_menu`` hook."""
    from wagtail.admin.menu import reports_menu

    request = RequestFactory().get("/admin/")
    request.user = user
    with translation.override("zh-hans"):
        return reports_menu.menu_items_for_request(request)


def test_a_bad_language_is_a_400(client, province_editor):
    assert client.get(REPORT, {"language": "xx"}).status_code == 400


def test_anonymous_users_get_no_report(client):
    _log("宇宙飞船", age=0, searches=1, empty=1)
    anonymous = client.get(REPORT)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    "region, kind", [("tonglu", "editor"), ("hangzhou", "reviewer"), ("zhejiang", "editor")]
)
def test_every_office_reads_the_report_but_only_province_reviewers_recommend(client, region, kind):
    _log("宇宙飞船", age=0, searches=1, empty=1)
    client.force_login(make_user(f"{region}-{kind}", region, kind))
    html = client.get(REPORT).content.decode()
    assert "宇宙飞船" in html and "查看搜索结果" in html
    assert ">添加推荐结果</a>" not in html and "/promote/" not in html
    assert REPORT in _reports_menu(client.get(REPORT).wsgi_request.user).values()
    refused = client.get("/admin/reports/search-queries/promote/", {"q": "x"})
    assert refused.status_code in (302, 403)
    assert client.get("/admin/searchpicks/add/").status_code in (302, 403)


def test_an_editor_who_reads_english_gets_it_from_the_catalogue(client, province_editor):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(province_editor)
    profile.preferred_language = "en"
    profile.save()
    _log("宇宙飞船", age=0, searches=1, empty=1)
    html = client.get(REPORT).content.decode()
    for words in ("Queries that found nothing", "Add a promoted result", "View the search results"):
        assert words in html
    assert "没有找到结果的搜索词" not in html and "宇宙飞船" in html


def test_nobody_opened_lists_only_queries_searched_enough_before_today(client, province_editor):
    _log("叠盘出苗", age=2, searches=2, empty=0)
    _log("叠盘出苗", age=5, searches=1, empty=0)  # 3 searches on 2 days: listed
    _log("一次性搜索", age=3, searches=5, empty=0)  # one day only
    _log("新词", age=1, searches=1, empty=0)
    _log("新词", age=0, searches=4, empty=0)  # mostly today: learners have had no chance
    _log("两次", age=1, searches=1, empty=0)
    _log("两次", age=4, searches=1, empty=0)  # 2 searches: too few
    _nothing, unopened = _sections(client.get(REPORT).content.decode())
    assert set(unopened) == {"叠盘出苗"}


def test_a_promotion_of_a_page_learners_cannot_see_answers_nothing(client, province_editor):
    from wagtail.models import PageViewRestriction

    _log("红船起航", age=0, searches=2, empty=2)
    lesson = make_lesson("红船精神内部测试课")
    PageViewRestriction.objects.create(page=lesson, restriction_type="login")
    SearchPromotion.objects.create(query=Query.get("红船起航"), page=lesson, sort_order=0)
    nothing, _unopened = _sections(client.get(REPORT).content.decode())
    assert "红船起航" in nothing


def test_recommended_results_are_called_so_throughout_the_admin(client, province_editor):
    """Learners see 推荐 beside such a result; Wagtail's catalogue says 推广 (advertising)."""
    lesson = make_lesson("冬季大棚保温课")
    SearchPromotion.objects.create(query=Query.get("大棚"), page=lesson, sort_order=0)
    pages = [
        client.get("/admin/searchpicks/"),
        client.get("/admin/searchpicks/add/"),
        client.get(REPORT),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "推广" not in html and "编辑精选" not in html, response.request["PATH_INFO"]
    assert "推荐搜索结果" in pages[0].content.decode()
    form = pages[1].content.decode()
    assert "外部链接文字" in form and "External link text" not in form
    report = pages[2].content.decode()
    assert ">英语</a>" in report and ">English</a>" not in report


def test_a_query_of_nothing_but_masks_is_not_listed(client, province_editor):
    _log("*", age=0, searches=4, empty=4)
    _log("* 怎么报名", age=0, searches=2, empty=2)
    nothing, _unopened = _sections(client.get(REPORT).content.decode())
    assert set(nothing) == {"* 怎么报名"}


def test_setup_roles_takes_recommending_back_from_province_editors():
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Locale

    from pioneer.editorial.role_setup import setup_roles

    editors = Group.objects.get(name="浙江省编辑")
    editors.permissions.add(*Permission.objects.filter(codename__endswith="searchpromotion"))
    setup_roles(Locale.get_default())
    granted = editors.permissions.filter(codename__endswith="searchpromotion")
    assert set(granted.values_list("codename", flat=True)) == {"view_searchpromotion"}
    reviewers = Group.objects.get(name="浙江省审核")
    assert reviewers.permissions.filter(codename="add_searchpromotion").exists()
