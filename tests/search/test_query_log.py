"""The log of what learners search for: counted once per search shown (cached by nginx
or not), zero-result searches, opens through the result links' redirect, no personal
data, failures that never cost a learner the answer, and old rows purged."""

import datetime
import re
from html import unescape
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

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
    return [unescape(u) for u in re.findall(r'href="([^"]+/search/open/[^"]+)"', html)]


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


def test_the_counters_are_never_cached(client):
    html = _show(client, "芋艿")
    answer = client.get(_seen_url(html))
    assert "no-store" in answer["Cache-Control"] and "private" in answer["Cache-Control"]
    assert answer["X-Accel-Expires"] == "0"


def test_a_made_up_count_is_refused(client):
    assert client.get("/zh-hans/search/seen/", {"t": "芋艿:0"}).status_code == 400
    assert client.get("/zh-hans/search/seen/").status_code == 400
    assert not SearchQueryDay.objects.exists()


def test_opening_a_result_counts_and_redirects_to_the_page(client):
    lesson = make_lesson("芋艿种植测试课")
    html = _show(client, "芋艿")
    links = _open_urls(html)
    assert len(links) == 1
    assert f'data-href="{lesson.url}"' in html  # the real address, for the status bar
    response = client.get(links[0])
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert "no-store" in response["Cache-Control"] and response["X-Accel-Expires"] == "0"
    assert _row("芋艿").opens == 1


def test_a_link_made_up_elsewhere_leads_to_the_page_but_counts_nothing(client):
    lesson = make_lesson("芋艿种植测试课")
    response = client.get(f"/zh-hans/search/open/{lesson.pk}/", {"q": "芋艿", "s": "forged"})
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert not SearchQueryDay.objects.exists()


def _open(client, page_id):
    signature = query_log.open_signature("芋艿", page_id)
    return client.get(f"/zh-hans/search/open/{page_id}/", {"q": "芋艿", "s": signature})


def test_the_redirect_leads_only_to_live_public_pages_of_the_site(client):
    draft = make_lesson("芋艿草稿测试课", publish=False)
    private = make_lesson("芋艿内部测试课")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=Page(title="别的网站", slug="other-site-test"))
    Site.objects.create(hostname="other.example", root_page=other_home)
    other_page = other_home.add_child(instance=Page(title="别的网站的页面", slug="elsewhere"))
    unknown = Page.objects.order_by("-pk").first().pk + 1000
    for page_id in (draft.pk, private.pk, other_home.pk, other_page.pk, root.pk, unknown):
        assert _open(client, page_id).status_code == 404, page_id
    assert not SearchQueryDay.objects.exists()
    assert client.get("/zh-hans/search/open/abc/").status_code == 404


def test_a_failing_log_write_never_fails_the_search(client):
    lesson = make_lesson("芋艿种植测试课")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", _failing_upsert(locked)):
        html = _show(client, "芋艿")
        assert "芋艿种植测试课" in html
        response = client.get(_open_urls(html)[0])
        assert response.status_code == 302 and response["Location"] == lesson.url
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


def test_a_learner_over_the_search_limit_still_reaches_the_result(client, settings, one_window):
    settings.RATE_LIMIT_SEARCH = "1/m"
    lesson = make_lesson("芋艿种植测试课")
    html = _show(client, "芋艿")  # the page and its image: the image is not a search
    assert client.get("/zh-hans/search/", {"q": "芋艿"}).status_code == 429
    response = client.get(_open_urls(html)[0])
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert (_row("芋艿").searches, _row("芋艿").opens) == (1, 1)


def test_one_client_flooding_the_counters_counts_no_more(client, settings, one_window):
    settings.RATE_LIMIT_SEARCH_LOG = "3/m"
    lesson = make_lesson("芋艿种植测试课")
    html = _show(client, "芋艿")
    for _ in range(4):
        assert client.get(_seen_url(html)).status_code == 200
    response = client.get(_open_urls(html)[0])
    assert response.status_code == 302 and response["Location"] == lesson.url
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
    assert 'href="/zh-hans/' in html and "荸荠种植测试课" in html


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
    response = client.get(open_url, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 302 and response["Location"] == lesson.url
    row = _row("茭白")
    assert (row.searches, row.opens) == (1, 0)


def test_an_images_token_is_good_for_a_day_only(client):
    make_lesson("菱角采收测试课")
    _response, html = _search(client, "菱角")
    seen = _seen_url(html)
    later = timezone.now() + query_log.SEEN_MAX_AGE + datetime.timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert client.get(seen).status_code == 400
    assert not SearchQueryDay.objects.filter(query="菱角").exists()


def test_an_open_signature_is_no_images_token():
    """Separate salts: what signs an open link cannot make a counting token."""
    signature = query_log.open_signature("水稻", 1)
    assert query_log.read_seen_token(signature) is None
    assert not query_log.open_signature_ok("水稻", 2, signature)


def test_a_long_query_is_cut_to_the_column():
    key = query_log.log_key("ﬀ" * 200)  # each ligature normalises to two letters
    assert len(key) == 200


def test_a_promotion_for_the_logged_form_answers_a_traditional_typing(client):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    lesson = make_lesson("冬季大棚保温课")
    SearchPromotion.objects.create(query=Query.get("农业补贴"), page=lesson, sort_order=0)
    _response, html = _search(client, "農業補貼")
    assert "冬季大棚保温课" in html
