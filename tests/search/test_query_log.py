"""The log of what learners search for: counted once per search shown (cached by nginx
or not), zero-result searches, opens through the result links' ping, no personal data,
failures that never cost a learner the answer, and old rows purged."""

import datetime
import re
from html import unescape
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from search import query_log
from search.models import SearchQueryDay
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


def _search(client, query, lang="zh-hans", **params):
    response = client.get(f"/{lang}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response, response.content.decode()


def _seen_url(html):
    found = re.search(r'<img src="([^"]+/search/seen/[^"]+)"', html)
    return unescape(found.group(1)) if found else None


def _open_urls(html):
    """The ping addresses of the result links (``<a href="the page" ping="…">``)."""
    return [unescape(u) for u in re.findall(r'ping="([^"]+/search/open/[^"]+)"', html)]


def _ping(url, **headers):
    """What a browser sends when a learner follows a link with ``ping``: a POST with no
    CSRF token (so through a client that checks CSRF, as the site does for browsers)."""
    browser = Client(enforce_csrf_checks=True)
    return browser.post(url, data="PING", content_type="text/ping", **headers)


def _show(client, query, lang="zh-hans", **params):
    """What a browser does: fetch the search page, then the images it shows."""
    _response, html = _search(client, query, lang, **params)
    seen = _seen_url(html)
    assert seen, "the search page carries no counting image"
    answer = client.get(seen)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/gif"
    return html


def _row(query, lang="zh-hans"):
    return SearchQueryDay.objects.get(query=query, language=lang, day=timezone.localdate())


def test_a_search_is_counted_once_with_its_result_count(client):
    make_lesson("芋艿种植测试课")
    make_lesson("芋艿储藏测试课")
    _show(client, "芋艿")
    row = _row("芋艿")
    assert (row.searches, row.empty, row.last_count, row.opens) == (1, 0, 2, 0)
    # The page itself counts nothing (nginx may serve it without asking the site): only
    # the image a browser fetches each time it shows the page does.
    _search(client, "芋艿")
    assert _row("芋艿").searches == 1
    _show(client, "芋艿")
    assert _row("芋艿").searches == 2


def test_searches_that_find_nothing_are_counted(client):
    _show(client, "宇宙飞船")
    _show(client, "宇宙飞船")
    row = _row("宇宙飞船")
    assert (row.searches, row.empty, row.last_count) == (2, 2, 0)


def test_queries_are_counted_in_their_cleaned_form_and_per_language(client):
    _show(client, "  ＹＵＡＮ   JIAO ")  # full-width and spaces: one row with the half-width
    _show(client, "yuan jiao")
    _show(client, "yuan jiao", lang="en")
    assert _row("yuan jiao").searches == 2
    assert _row("yuan jiao", "en").searches == 1


def test_nothing_personal_is_stored(client):
    fields = {field.name for field in SearchQueryDay._meta.get_fields()}
    assert fields == {
        "id",
        "query",
        "language",
        "day",
        "searches",
        "empty",
        "last_count",
        "opens",
    }
    client.cookies["pioneer_probe"] = "cookie-value"
    client.defaults.update(HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    _show(client, "芋艿")
    stored = " ".join(str(value) for value in SearchQueryDay.objects.values_list().get())
    assert "203.0.113" not in stored and "198.51.100" not in stored
    assert "cookie-value" not in stored


def test_the_image_is_kept_by_the_browser_only(client):
    """Back, or a reload of the copy nginx keeps, shows the same token: the browser's own
    copy of the image answers and counts nothing more; nginx never keeps it."""
    html = _show(client, "芋艿")
    answer = client.get(_seen_url(html))
    control = answer["Cache-Control"]
    assert "private" in control and "max-age=86400" in control and "no-store" not in control
    assert answer["X-Accel-Expires"] == "0"


def test_a_made_up_count_is_refused(client):
    assert client.get("/zh-hans/search/seen/", {"t": "芋艿:0"}).status_code == 400
    assert client.get("/zh-hans/search/seen/").status_code == 400
    assert not SearchQueryDay.objects.exists()


def test_opening_a_result_counts_through_the_links_ping(client):
    lesson = make_lesson("芋艿种植测试课")
    html = _show(client, "芋艿")
    (ping,) = _open_urls(html)
    # The link goes straight to the page: no redirect to wait for on a slow network.
    assert f'<a href="{lesson.url}" ping="' in html
    response = _ping(ping, HTTP_PING_TO=lesson.full_url)
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"] and response["X-Accel-Expires"] == "0"
    assert _row("芋艿").opens == 1
    assert client.get(ping).status_code == 405  # only a ping counts


def test_a_ping_made_up_elsewhere_counts_nothing(client):
    lesson = make_lesson("芋艿种植测试课")
    assert _ping(f"/zh-hans/search/open/{lesson.pk}/?q=芋艿&s=forged").status_code == 204
    assert _ping(f"/zh-hans/search/open/{lesson.pk}/").status_code == 204
    assert not SearchQueryDay.objects.exists()


def test_a_ping_counts_only_for_the_page_query_and_language_it_was_signed_for(client):
    signature = query_log.open_signature("芋艿", 7, "zh-hans")
    assert _ping(f"/zh-hans/search/open/8/?q=芋艿&s={signature}").status_code == 204
    assert _ping(f"/zh-hans/search/open/7/?q=水稻&s={signature}").status_code == 204
    assert _ping(f"/en/search/open/7/?q=芋艿&s={signature}").status_code == 204
    assert not SearchQueryDay.objects.exists()
    assert _ping(f"/zh-hans/search/open/7/?q=芋艿&s={signature}").status_code == 204
    assert _row("芋艿").opens == 1
    assert client.get("/zh-hans/search/open/abc/").status_code == 404


def test_a_failing_log_write_never_fails_the_search(client):
    lesson = make_lesson("芋艿种植测试课")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", _failing_upsert(locked)):
        html = _show(client, "芋艿")
        assert "芋艿种植测试课" in html and f'href="{lesson.url}"' in html
        assert _ping(_open_urls(html)[0]).status_code == 204
    assert not SearchQueryDay.objects.exists()
    # The request's own transaction survived the failure: the next write works.
    _show(client, "芋艿")
    assert _row("芋艿").searches == 1


def _failing_upsert(fail):
    """Execute as usual, except the log's write, which fails as ``fail`` does."""
    from django.db.backends.utils import CursorWrapper

    original = CursorWrapper.execute

    def execute(self, sql, params=None):
        if "ON CONFLICT" in sql and SearchQueryDay._meta.db_table in sql:
            fail()
        return original(self, sql, params)

    return execute


def test_old_rows_are_purged(settings):
    settings.SEARCH_LOG_DAYS = 30
    today = timezone.localdate()
    for age in (0, 29, 30, 400):
        SearchQueryDay.objects.create(
            query=f"词{age}", language="zh-hans", day=today - datetime.timedelta(days=age)
        )
    call_command("sync_search_index", stdout=open("/dev/null", "w"))
    assert sorted(SearchQueryDay.objects.values_list("query", flat=True)) == ["词0", "词29"]
    call_command("purge_search_log", "--days", "1", stdout=open("/dev/null", "w"))
    assert list(SearchQueryDay.objects.values_list("query", flat=True)) == ["词0"]


@pytest.fixture
def one_window(monkeypatch):
    """One rate-limit window for the whole test (django-ratelimit counts in fixed windows)."""
    import time
    from types import SimpleNamespace

    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


def test_a_learner_over_the_search_limit_still_counts(client, settings, one_window):
    settings.RATE_LIMIT_SEARCH = "1/m"
    make_lesson("芋艿种植测试课")
    html = _show(client, "芋艿")  # the page and its image: the image is not a search
    assert client.get("/zh-hans/search/", {"q": "芋艿"}).status_code == 429
    assert _ping(_open_urls(html)[0]).status_code == 204
    assert (_row("芋艿").searches, _row("芋艿").opens) == (1, 1)


def test_one_client_flooding_the_counters_counts_no_more(client, settings, one_window):
    settings.RATE_LIMIT_SEARCH_LOG = "3/m"
    make_lesson("芋艿种植测试课")
    html = _show(client, "芋艿")
    for _ in range(4):
        assert client.get(_seen_url(html)).status_code == 200
    assert _ping(_open_urls(html)[0]).status_code == 204
    assert (_row("芋艿").searches, _row("芋艿").opens) == (3, 0)
    other = client.get(_seen_url(html), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and _row("芋艿").searches == 4


def test_a_page_narrowed_by_a_filter_is_not_counted(client):
    make_lesson("芥菜腌制测试课", function="skills")
    _response, html = _search(client, "芥菜", function="theory")
    assert _seen_url(html) is None and not _open_urls(html)
    assert not SearchQueryDay.objects.filter(query="芥菜").exists()


def test_an_editors_searches_and_clicks_are_not_counted(client, admin_user):
    make_lesson("荸荠种植测试课")
    client.force_login(admin_user)
    _response, html = _search(client, "荸荠")
    assert _seen_url(html) is None and not _open_urls(html)
    assert 'href="/zh-hans/' in html and "荸荠种植测试课" in html and "ping=" not in html


def test_a_search_answered_by_a_promoted_result_found_something(client):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    lesson = make_lesson("冬季大棚保温课")  # no word of the query: only the promotion finds it
    SearchPromotion.objects.create(
        query=Query.get("鸡毛菜"), page=lesson, sort_order=0, description=""
    )
    _show(client, "鸡毛菜")
    row = _row("鸡毛菜")
    assert (row.empty, row.last_count) == (0, 1)


def test_counters_fetched_from_another_site_count_nothing(client):
    lesson = make_lesson("茭白种植测试课")
    html = _show(client, "茭白")
    seen = _seen_url(html)
    client.get(seen, HTTP_SEC_FETCH_SITE="cross-site")
    (open_url,) = [u for u in _open_urls(html) if f"/open/{lesson.pk}/" in u]
    assert _ping(open_url, HTTP_SEC_FETCH_SITE="cross-site").status_code == 204
    assert _ping(open_url, HTTP_ORIGIN="https://evil.example").status_code == 204
    client.get(seen, HTTP_ORIGIN="https://evil.example")
    row = _row("茭白")
    assert (row.searches, row.opens) == (1, 0)


def test_an_images_token_is_good_for_a_day_only(client):
    make_lesson("菱角采收测试课")
    _response, html = _search(client, "菱角")
    seen = _seen_url(html)
    later = timezone.now() + query_log.SEEN_MAX_AGE + datetime.timedelta(minutes=11)
    with mock.patch("search.query_log.time.time", return_value=later.timestamp()):
        assert client.get(seen).status_code == 400
    assert not SearchQueryDay.objects.filter(query="菱角").exists()


def test_an_open_signature_is_no_images_token():
    """Separate salts: what signs an open link cannot make a counting token."""
    signature = query_log.open_signature("水稻", 1, "zh-hans")
    assert query_log.read_seen_token(signature, "zh-hans") is None
    assert not query_log.open_signature_ok("水稻", 2, "zh-hans", signature)


def test_a_long_query_is_cut_to_the_column():
    key = query_log.log_key("ﬀ" * 200)  # each ligature normalises to two letters
    assert len(key) == 200


def test_a_promotion_for_the_logged_form_answers_a_traditional_typing(client):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    lesson = make_lesson("冬季大棚保温课")
    SearchPromotion.objects.create(query=Query.get("农业补贴"), page=lesson, sort_order=0)
    _response, html = _search(client, "農業補貼")
    assert "冬季大棚保温课" in html


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("13812345678 怎么报名", "* 怎么报名"),
        ("138 1234 5678", "*"),
        ("0571-87654321 农技站", "* 农技站"),
        ("33010219800101123X", "*"),
        ("李四@163.com 课程", "* 课程"),
        ("138.1234.5678", "*"),
        ("0571 8765 4321", "*"),
        ("330102 19800101 123X", "*"),
        ("6222 0212 3456 7890 123", "*"),
        ("qq 123456", "*"),
        ("微信号 wxid_abc123def 培训", "* 培训"),
        ("vx: zhangsan88", "*"),
        ("杭农发〔2025〕12号", "杭农发〔2025〕12号"),
        ("浙政办发〔2025〕12号", "浙政办发〔2025〕12号"),
        ("水稻 2025", "水稻 2025"),
        ("2025-03-12 通知", "2025-03-12 通知"),
        ("20250312 通知", "20250312 通知"),
        ("gb/t 19001-2016", "gb/t 19001-2016"),
        ("补贴1500元", "补贴1500元"),
        ("微信 培训", "微信 培训"),
    ],
)
def test_numbers_that_say_who_someone_is_are_masked(typed, kept):
    assert query_log.log_key(typed) == kept


def test_a_searched_phone_number_is_not_stored(client):
    _show(client, "13912345678")
    assert list(SearchQueryDay.objects.values_list("query", flat=True)) == ["*"]


def test_the_same_search_rendered_again_names_the_same_image(client, settings):
    """A reload in the data saver or elder mode (pages nginx does not keep) renders the
    page again: the image's address is the same, so the browser's copy answers."""
    make_lesson("芋艿种植测试课")
    now = query_log.SEEN_BUCKET * 1_000_000 + 5  # early in a bucket: both renders in it
    with mock.patch("search.query_log.time.time", return_value=now):
        first = _seen_url(_search(client, "芋艿")[1])
        client.cookies["saver"] = "on"
        assert _seen_url(_search(client, "芋艿")[1]) == first


def test_an_image_made_for_one_language_counts_nothing_in_another(client):
    make_lesson("芋艿种植测试课")
    seen = _seen_url(_search(client, "芋艿")[1])
    assert client.get(seen.replace("/zh-hans/", "/en/")).status_code == 400
    assert not SearchQueryDay.objects.exists()
