"""The embeddable lesson widget (contract 4) and the partner page that gives its snippet."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from lessons.models import LessonPage
from pioneer.core.five_functions import Function
from pioneer.core.public import public_pages
from pioneer.models import Region
from tests.support.factories import make_lesson

ORIGIN = settings.SITE_URL  # the public address the snippet names, whatever the host asked

pytestmark = pytest.mark.django_db

WIDGET = "/embed/lessons/"
ITEM = re.compile(r'<li><a href="([^"]+)" target="_blank" rel="noopener">([^<]+)</a><p>(.*?)</p>')
FUTURE = datetime.date(2099, 1, 1)  # newer than every demo lesson: first if it leaked


def _zh():
    return Locale.objects.get(language_code="zh-hans")


def _items(response):
    assert response.status_code == 200, response.content[:300]
    return [
        {"url": url, "title": html.unescape(title), "meta": html.unescape(meta)}
        for url, title, meta in ITEM.findall(response.content.decode())
    ]


def _titles(response):
    return [item["title"] for item in _items(response)]


@pytest.fixture
def twenty_more_lessons():
    """More lessons than the widget's largest page (20), so each limit has its count."""
    for number in range(20):
        make_lesson(f"样书补充课程{number:02d}", date=datetime.date(2024, 1, number + 1))


def _expected(queryset, limit):
    return [lesson.title for lesson in queryset.order_by("-date", "-pk")[:limit]]


# --- the list ------------------------------------------------------------------------


@pytest.mark.usefixtures("small_library")
def test_widget_lists_the_newest_public_lessons(client):
    response = client.get(WIDGET)
    items = _items(response)
    lessons = list(public_pages(LessonPage, locale=_zh()).order_by("-date", "-pk")[:5])
    assert [item["title"] for item in items] == [lesson.title for lesson in lessons]
    for item, lesson in zip(items, lessons, strict=True):
        assert item["url"] == lesson.get_full_url()
        assert str(lesson.function_label) in item["meta"]
        assert lesson.date.isoformat() in item["meta"]
        if lesson.duration_minutes:
            assert f"{lesson.duration_minutes} 分钟" in item["meta"]
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "<title>" in page
    assert "更多课程 · 时代先锋网" in page
    more = re.search(r'<p class="more"><a href="([^"]+)" target="_blank" rel="noopener">', page)
    assert more and more.group(1).endswith("/zh-hans/lessons/")


@pytest.mark.usefixtures("small_library")
@pytest.mark.parametrize("parameter", ["category", "function"])
def test_widget_filters_by_function(client, parameter):
    titles = _titles(client.get(WIDGET, {parameter: "skills", "limit": "20"}))
    expected = public_pages(LessonPage, locale=_zh()).filter(function="skills")
    assert titles == _expected(expected, 20)
    assert titles  # the demo has lessons of every function
    page = client.get(WIDGET, {parameter: "skills"}).content.decode()
    assert str(Function.SKILLS.label) in page
    assert "function=skills" in page  # the "more" link goes to the same selection


def test_widget_filters_by_region_with_its_child_regions(client):
    hangzhou = Region.objects.get(slug="hangzhou", locale=_zh())
    tonglu = Region.objects.get(slug="tonglu", locale=_zh())
    assert tonglu.parent == hangzhou
    county = make_lesson("桐庐县新课：茶园春管", region=tonglu, date=FUTURE)
    titles = _titles(client.get(WIDGET, {"region": "hangzhou", "limit": "20"}))
    assert titles[0] == county.title
    public = public_pages(LessonPage, locale=_zh())
    expected = public.filter(region__in=[hangzhou, tonglu])
    assert titles == _expected(expected, 20)
    assert county.title not in _titles(client.get(WIDGET, {"region": "ningbo", "limit": "20"}))
    assert _titles(client.get(WIDGET, {"region": "tonglu"}))[0] == county.title


@pytest.mark.usefixtures("small_library")
def test_widget_filters_by_tag_and_an_unknown_tag_lists_nothing(client):
    public = public_pages(LessonPage, locale=_zh())
    titles = _titles(client.get(WIDGET, {"tag": "水稻", "limit": "20"}))
    assert titles and titles == _expected(public.filter(tags__slug="水稻"), 20)
    response = client.get(WIDGET, {"tag": "no-such-topic"})
    assert response.status_code == 200
    assert _items(response) == []
    assert "暂无课程" in response.content.decode()


@pytest.mark.usefixtures("small_library")
def test_widget_combines_filters(client):
    public = public_pages(LessonPage, locale=_zh())
    titles = _titles(client.get(WIDGET, {"category": "skills", "tag": "水稻", "limit": "20"}))
    assert titles == _expected(public.filter(function="skills", tags__slug="水稻"), 20)


@pytest.mark.usefixtures("small_library")
def test_widget_in_english_lists_translated_lessons_only(client):
    english = Locale.objects.get(language_code="en")
    response = client.get(WIDGET, {"locale": "en", "limit": "20"})
    titles = _titles(response)
    assert titles == _expected(public_pages(LessonPage, locale=english), 20)
    assert titles
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Latest Lessons" in page
    assert "/en/lessons/" in page


@pytest.mark.parametrize(
    "limit, count",
    [("", 5), ("3", 3), ("20", 20), ("21", 20), ("100000", 20), ("0", 1), ("-1", 1), (" 7 ", 7)],
)
@pytest.mark.usefixtures("small_library", "twenty_more_lessons")
def test_widget_limit_is_clamped_to_1_to_20(client, limit, count):
    # 0 and negative numbers give one lesson rather than an error (documented clamping).
    params = {"limit": limit} if limit else {}
    assert len(_items(client.get(WIDGET, params))) == count


def test_unpublished_and_private_lessons_never_appear(client):
    draft = make_lesson("草稿课程不应出现", publish=False, date=FUTURE)
    withdrawn = make_lesson("已撤回的课程不应出现", date=FUTURE)
    withdrawn.unpublish()
    private = make_lesson("仅限登录的课程不应出现", date=FUTURE)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    secret = make_lesson("密码保护的课程不应出现", date=FUTURE)
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    expired = make_lesson("已过期的课程不应出现", date=FUTURE)
    LessonPage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(days=1)
    )
    visible = make_lesson("公开的新课程", date=FUTURE)
    hidden = {page.title for page in (draft, withdrawn, private, secret, expired)}
    for params in ({}, {"limit": "20"}, {"category": "skills", "limit": "20"}):
        titles = _titles(client.get(WIDGET, params))
        assert titles[0] == visible.title
        assert hidden.isdisjoint(titles)


# --- bad parameters --------------------------------------------------------------------

BAD = [
    {"category": "nope"},
    {"function": "nope"},
    {"limit": "abc"},
    {"limit": "2.5"},
    {"limit": "1e3"},
    {"limit": "٣"},  # an Arabic-Indic digit: int() would take it, the contract does not
    {"region": "mars"},
    {"region": "x" * 5000},
    {"tag": "x" * 5000},
    {"category": "x" * 5000},
    {"utm_source": "x" * 5000},
    {"x" * 101: "1"},
    {"tag": "x" * 101},
    {"locale": "fr"},
    {"locale": "zh"},
    {"region": "hang\x00zhou"},
    {"tag": "水稻\x00"},
]


@pytest.mark.parametrize(
    "params", BAD, ids=lambda p: "-".join(f"{k[:12]}={v[:12]!r}" for k, v in p.items())
)
def test_bad_parameters_get_a_400_with_a_chinese_message(client, params):
    response = client.get(WIDGET, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    message = response.content.decode()
    assert re.search(r"[\u4e00-\u9fff]", message) and len(message) < 200
    assert "<" not in message
    # Framable, so the partner reads the message in the iframe itself.
    assert response["Content-Security-Policy"].endswith("; frame-ancestors *")
    assert "X-Frame-Options" not in response


def test_a_long_but_allowed_parameter_is_fine(client):
    response = client.get(WIDGET, {"tag": "x" * 100, "utm_source": "y" * 100})
    assert response.status_code == 200 and _items(response) == []


def test_only_get_and_head(client):
    assert client.head(WIDGET).status_code == 200
    assert client.post(WIDGET).status_code == 405


# --- size, markup and headers ----------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"limit": "20"}, {"locale": "en", "limit": "20"}])
def test_widget_is_small_and_self_contained(client, params):
    response = client.get(WIDGET, params)
    body = response.content
    assert len(body) < 10 * 1024
    page = body.decode().lower()
    assert "<script" not in page
    assert '<link rel="stylesheet"' not in page and "<link" not in page
    assert "@import" not in page and "url(" not in page
    assert page.count("<style>") == 1
    assert "<title>" in page


def test_widget_stays_under_10_kb_with_very_long_titles(client):
    for number in range(20):
        make_lesson(f"{number:02d}" + "很长的课程标题" * 35, date=FUTURE, slug=f"long-{number}")
    response = client.get(WIDGET, {"limit": "20"})
    assert len(response.content) < 10 * 1024
    assert len(_items(response)) >= 10


def test_widget_headers_allow_framing_anywhere(client):
    response = client.get(WIDGET)
    assert response["Content-Security-Policy"].endswith("; frame-ancestors *")
    assert "X-Frame-Options" not in response
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_the_rest_of_the_site_forbids_framing(client):
    # The whole policy is tested in test_security_headers.py.
    response = client.get("/zh-hans/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"].split("; ")
    assert client.get(WIDGET)["Content-Security-Policy"].endswith("; frame-ancestors *")
    assert "Content-Security-Policy" not in client.get("/healthz")  # JSON, not HTML


# --- the partner page ------------------------------------------------------------------

BUILDER = "/zh-hans/embed/"


def _snippet(page):
    match = re.search(r'<pre class="snippet"><code>(.*?)</code></pre>', page, re.S)
    assert match, "no snippet"
    return html.unescape(match.group(1))


def test_builder_page_shows_the_snippet_and_a_live_preview(client):
    response = client.get(BUILDER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>嵌入本站课程</h1>" in page
    assert "<title>嵌入本站课程 - 时代先锋网</title>" in page
    assert '<form class="filters" method="get"' in page
    for field in ("e-function", "e-region", "e-limit"):
        assert f'<label for="{field}">' in page and f'id="{field}"' in page
    snippet = _snippet(page)
    assert re.fullmatch(
        rf'<iframe src="{re.escape(ORIGIN)}/embed/lessons/\?limit=5" width="100%" height="\d+"'
        r' style="border:0" title="时代先锋网课程" loading="lazy"></iframe>',
        snippet,
    )
    assert "&lt;iframe" in page  # shown escaped, to be copied
    assert f'<div class="embed-preview">{snippet}</div>' in page  # and rendered
    src = re.search(r'src="([^"]+)"', snippet).group(1)
    assert client.get(src.replace(ORIGIN, "")).status_code == 200


@pytest.mark.usefixtures("small_library")
def test_builder_filters_reload_the_page_with_the_chosen_snippet(client):
    params = {"function": "skills", "region": "huzhou", "limit": "8"}
    page = client.get(BUILDER, params).content.decode()
    snippet = _snippet(page)
    src = f"{ORIGIN}/embed/lessons/?function=skills&amp;region=huzhou&amp;limit=8"
    assert f'<iframe src="{src}"' in snippet
    # The old name of the filter, from a partner's bookmark, gives the same snippet.
    assert (
        _snippet(
            client.get(BUILDER, {**params, "function": "", "category": "skills"}).content.decode()
        )
        == snippet
    )
    assert f'<div class="embed-preview"><iframe src="{src}"' in page
    assert '<option value="skills" selected>' in page
    assert '<option value="huzhou" selected>' in page
    assert 'value="8"' in page
    widget = client.get(html.unescape(src).replace(ORIGIN, ""))
    assert widget.status_code == 200 and _items(widget)


@pytest.mark.parametrize(
    "params",
    [
        {"function": "nope"},
        {"category": "nope"},
        {"region": "mars"},
        {"limit": "abc"},
        {"region": "x" * 5000},
    ],
)
def test_builder_ignores_bad_filters_and_says_so(client, params):
    response = client.get(BUILDER, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="notice"' in page
    assert f'src="{ORIGIN}/embed/lessons/?limit=5"' in _snippet(page)


def test_builder_clamps_the_limit(client):
    page = client.get(BUILDER, {"limit": "100000"}).content.decode()
    assert "?limit=20" in _snippet(page)


def test_english_builder_embeds_the_english_widget(client):
    response = client.get("/en/embed/", {"function": "theory"})
    assert response.status_code == 200
    snippet = _snippet(response.content.decode())
    assert "/embed/lessons/?function=theory&amp;limit=5&amp;locale=en" in snippet


@pytest.mark.usefixtures("small_library")
def test_widget_queries_do_not_grow_with_the_limit(client, django_assert_max_num_queries):
    client.get(WIDGET)  # warm the caches (site root paths, settings) like a running site
    with django_assert_max_num_queries(12):
        assert len(_items(client.get(WIDGET, {"limit": "20", "region": "hangzhou"}))) > 1
