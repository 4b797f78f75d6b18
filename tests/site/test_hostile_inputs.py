"""Hostile input on every public endpoint and every parameter it reads: never a 5xx, never
the input reflected unescaped into HTML or XML, and JSON that parses.

The endpoints and the parameters each one reads come from ``pioneer/urls.py`` and the
views; the inputs from ``tests/support/hostile_corpus.py`` (over 200). Views that read each
parameter on its own (the HTML listings, which ignore a bad filter and say so) get every
input in all their parameters at once; the JSON endpoints, which stop at the first bad
parameter with a 400, get each input in each search parameter and in one of the others
in turn. With ``SEARCH_ENGINE_URL`` set, the search endpoints run again on OpenSearch.
"""

import json
from urllib.parse import quote

import pytest
from django.test import Client
from wagtail.models import Page

from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
from news.models import NewsPage, PolicyPage
from tests.support.engine import require_engine
from tests.support.factories import make_lesson, one_of_each
from tests.support.hostile_corpus import (
    CORPUS,
    LEAK_SIGNS,
    MARKUP,
    NUMBERS,
    RAW_ENCODINGS,
    REFLECTION_SIGNS,
    Raw,
)

pytestmark = pytest.mark.django_db

# Query strings of odd shape, whatever the values: repeated, empty, unnamed, bracketed, long.
SHAPES = [
    "page=1&page=2&page=-1",
    "q=水稻&q=<x-probe-90>&q=",
    "q",
    "=x",
    "&&&",
    "q[]=1&q[]=2",
    "q[$ne]=1",
    "__proto__[x]=1",
    "a=" + "b" * 30_000,
    "&".join(f"p{i}=1" for i in range(2_000)),
]


def _urls():
    """Paths of one public page of each type, made here (a lesson with video, audio and an
    attachment, so its offline pack has files); the searches' 水稻 finds a lesson too."""
    pages = one_of_each()
    make_lesson("水稻育秧（恶意输入测试）")
    lesson = pages[LessonPage]
    regional = pages[NewsPage].get_parent()  # the news item's regional section
    from schedule.models import Channel
    from tests.schedule.conftest import make_channel

    # The demo's channel when the demo is loaded (the engine's variant), else a new one.
    channel = Channel.objects.filter(locale__language_code="zh-hans").first() or make_channel()
    return {
        "channel": channel.slug,
        "lesson": lesson.url,
        "function_index": pages[LessonIndexPage].url,
        "series": pages[LessonSeriesPage].url,
        "news": pages[NewsPage].url,
        "regional_news": regional.url,
        "policy": pages[PolicyPage].url,
        "lesson_id": lesson.pk,
    }


SEARCH = ["q", "type", "category", "function", "region", "year", "page"]
API_PAGES = [
    "search",
    "type",
    "fields",
    "order",
    "limit",
    "offset",
    "locale",
    "function",
    "category",
    "region",
    "tag",
    "date_from",
    "date_to",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "id",
    "slug",
    "title",
    "show_in_menus",
    "has_children",
    "search_operator",
]
API_MEDIA = ["search", "fields", "order", "limit", "offset", "id", "title", "tags", "type"]

# name: (path, parameters read, mode). "together": all parameters carry the input in one
# request; "each": search parameters get every input, the others one input in turn.
ENDPOINTS = {
    "api_search": ("/api/search/", SEARCH + ["page_size", "locale"], "each"),
    "api_suggest": ("/api/search/suggest/", ["q", "locale"], "each"),
    "api_pages": ("/api/v2/pages/", API_PAGES, "each"),
    "api_page_detail": ("/api/v2/pages/{lesson_id}/", ["fields", "locale", "type"], "each"),
    "api_find": ("/api/v2/pages/find/", ["html_path", "locale"], "each"),
    "api_images": ("/api/v2/images/", API_MEDIA, "each"),
    "api_documents": ("/api/v2/documents/", API_MEDIA, "each"),
    "embed": (
        "/embed/lessons/",
        ["category", "function", "region", "tag", "limit", "locale"],
        "each",
    ),
    "embed_builder": ("/zh-hans/embed/", ["category", "region", "limit"], "together"),
    "mode": ("/mode/", ["mode", "saver", "next"], "each"),
    "search_page": ("/zh-hans/search/", SEARCH, "together"),
    "search_page_en": ("/en/search/", SEARCH, "together"),
    "lesson_index": (
        "/zh-hans/lessons/",
        ["function", "region", "duration", "tag", "page"],
        "together",
    ),
    "function_index": (
        "{function_index}",
        ["function", "region", "duration", "tag", "page"],
        "together",
    ),
    "news_index": ("/zh-hans/news/", ["region", "year", "page"], "together"),
    "regional_news": ("{regional_news}", ["region", "year", "page"], "together"),
    "policy_index": (
        "/zh-hans/policies/",
        ["issuer", "type", "status", "year", "number", "page"],
        "together",
    ),
    "sitemap": ("/sitemap.xml", ["p"], "together"),
    "sitemap_file": ("/sitemap-lesson.xml", ["p"], "together"),
    "admin_login": ("/admin/login/", ["next"], "together"),
    "api_notices": ("/api/notices/", ["region", "locale", "all"], "each"),
    "region_set": ("/mode/region/", ["region", "lang", "next"], "each"),
    "region_chooser": ("/zh-hans/region/", ["next"], "together"),
    "notice_index": ("/zh-hans/notices/", ["page"], "together"),
    "answered_messages": ("/zh-hans/messages/", ["region", "page"], "together"),
    "schedule_print": ("/zh-hans/schedule/{channel}/print/", ["week"], "together"),
    "schedule_ics": ("/feeds/zh-hans/schedule/{channel}.ics", ["function"], "each"),
}
# Endpoints that read no parameter: what reaches them is the query string as a whole (pages
# repeat it in their display-mode links) and their path.
PLAIN = {
    "home": "/zh-hans/",
    "home_en": "/en/",
    "partners": "/zh-hans/partners/",
    "lesson": "{lesson}",
    "offline_pack": "{lesson}offline/",
    "series": "{series}",
    "news": "{news}",
    "policy": "{policy}",
    "healthz": "/healthz",
    "robots": "/robots.txt",
    "feed": "/feeds/zh-hans/lessons/rss.xml",
    "root": "/",
    "notices_feed": "/feeds/zh-hans/notices/atom.xml",
    "message_form": "/zh-hans/messages/new/",
    "schedule": "/zh-hans/schedule/",
    "schedule_xmltv": "/feeds/zh-hans/schedule/{channel}.xml",
    "schedule_text": "/feeds/en/schedule/{channel}/today.txt",
}
# Path parts: the value replaces {v} (URL-quoted, or as it is for Raw values).
PATHS = {
    "feed_locale": "/feeds/{v}/lessons/rss.xml",
    "feed_kind": "/feeds/zh-hans/{v}/atom.xml",
    "feed_function": "/feeds/zh-hans/lessons/{v}/rss.xml",
    "feed_region": "/feeds/en/regions/{v}/atom.xml",
    "document_id": "/documents/{v}/x.pdf",
    "document_name": "/documents/1/{v}",
    "page_slug": "/zh-hans/lessons/{v}/",
    "language": "/{v}/search/",
    "top_level": "/{v}",
    "api_detail_id": "/api/v2/pages/{v}/",
    "api_image_id": "/api/v2/images/{v}/",
    "notice_include_region": "/_notices/zh-hans/{v}/",
    "notice_feed_region": "/feeds/zh-hans/notices/{v}/rss.xml",
    "notice_cap_id": "/feeds/zh-hans/notices/cap/{v}.xml",
    "schedule_channel": "/zh-hans/schedule/{v}/",
    "schedule_feed_channel": "/feeds/en/schedule/{v}.ics",
}
# Request headers the site reads.
HEADERS = {
    "accept_language": ("/", "HTTP_ACCEPT_LANGUAGE"),
    "save_data": ("/zh-hans/", "HTTP_SAVE_DATA"),
    "cookie": ("/zh-hans/lessons/", "HTTP_COOKIE"),
    "if_none_match": ("/feeds/zh-hans/news/rss.xml", "HTTP_IF_NONE_MATCH"),
    "if_modified_since": ("/api/v2/pages/", "HTTP_IF_MODIFIED_SINCE"),
}


def _value(value):
    return value if isinstance(value, Raw) else quote(value, safe="")


def _query(pairs):
    return "&".join(f"{_value(name)}={_value(value)}" for name, value in pairs)


# A second page served by the same view as another endpoint (the same code reads the
# same parameters), and headers on full pages: every third input, each kind still there.
SAMPLED = {"search_page_en", "function_index", "regional_news"}
SAMPLE = CORPUS[::3]


def requests_for(name, urls):
    """(path, query string, extra WSGI environ) for every input sent to one endpoint."""
    if name in ENDPOINTS:
        path, params, mode = ENDPOINTS[name]
        path = path.format(**urls)
        searchy = [p for p in params if p in ("q", "search", "html_path", "next")]
        others = [p for p in params if p not in searchy]
        for index, value in enumerate(SAMPLE if name in SAMPLED else CORPUS):
            if mode == "together":
                yield path, _query([(param, value) for param in params]), {}
                continue
            for param in searchy:
                yield path, _query([(param, value)] + ([("q", "水稻")] if param != "q" else [])), {}
            if others:
                param = others[index % len(others)]
                base = [("q", "水稻")] if "q" in params else []
                yield path, _query(base + [(param, value)]), {}
        for shape in SHAPES:
            yield path, shape, {}
    elif name in PLAIN:
        path = PLAIN[name].format(**urls)
        for value in MARKUP + RAW_ENCODINGS + NUMBERS[:6]:
            yield path, _query([("x", value), (value, "1")]), {}
        for shape in SHAPES:
            yield path, shape, {}
    elif name in PATHS:
        for value in CORPUS:
            if value:
                yield PATHS[name].replace("{v}", _value(value)), "", {}
    else:
        path, header = HEADERS[name]
        for value in SAMPLE:
            # WSGI carries header bytes as Latin-1 text.
            yield path, "", {header: value.encode("utf-8", "surrogatepass").decode("latin-1")}


def check(response, path, query):
    where = f"{path}?{query[:120]}"
    assert response.status_code < 500, (response.status_code, where)
    content_type = response.get("Content-Type", "").split(";")[0]
    if response.streaming:
        return  # a file: documents and offline packs, no input in them
    text = response.content.decode("utf-8", errors="replace")
    for sign in LEAK_SIGNS:
        assert sign not in text, (sign, where)
    if content_type == "application/json":
        json.loads(text)  # valid JSON, whatever came in
    elif content_type == "text/html" or "xml" in content_type:
        for sign in REFLECTION_SIGNS:
            assert sign not in text, (sign, where)
    location = response.get("Location", "")
    assert not location.startswith(("//", "http://evil", "javascript:")), (location, where)
    assert "\n" not in location and "\r" not in location, where


def send_all(name):
    client = Client(raise_request_exception=False)
    urls = _urls()
    count = 0
    for path, query, extra in requests_for(name, urls):
        # WSGI servers hand the raw query string over as Latin-1 text, whatever its bytes.
        raw = query.encode("utf-8", "surrogatepass").decode("latin-1")
        response = client.get(path, QUERY_STRING=raw, **extra)
        check(response, path, query)
        count += 1
    return count


ALL = [*ENDPOINTS, *PLAIN, *PATHS, *HEADERS]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.RATE_LIMIT_API = settings.RATE_LIMIT_SEARCH = ""  # one client sends it all


def test_corpus_is_big_enough():
    assert len(CORPUS) >= 200
    assert len(set(CORPUS)) == len(CORPUS)


@pytest.mark.parametrize("name", ALL)
def test_endpoint_survives_hostile_input(name):
    assert send_all(name) >= 50


@pytest.mark.demo
@require_engine()
@pytest.mark.engine
@pytest.mark.parametrize("name", ["api_search", "api_suggest", "api_pages", "search_page"])
def test_search_on_the_engine_survives_hostile_input(name, engine):
    assert send_all(name) >= 50


def test_page_past_the_end_is_404(client):
    assert client.get("/zh-hans/lessons/", {"page": "99999"}).status_code == 404


def test_unknown_filters_are_ignored_with_a_notice(client):
    html = client.get("/zh-hans/lessons/", {"region": "atlantis"}).content.decode()
    assert "部分筛选条件无法识别，已忽略。" in html


def test_bad_api_parameters_get_a_json_400(client):
    for path, params in [
        ("/api/search/", {"q": "水稻", "page_size": "1e9"}),
        ("/api/search/", {"q": "水稻", "type": "<x-probe>"}),
        ("/api/v2/pages/", {"limit": "-1"}),
        ("/api/v2/pages/", {"region": "atlantis"}),
    ]:
        response = client.get(path, params)
        assert response.status_code == 400, (path, params)
        assert set(response.json()) & {"error", "message"}, (path, params)


def test_root_page_is_not_in_the_api(client):
    root = Page.objects.get(depth=1)
    assert client.get(f"/api/v2/pages/{root.pk}/").status_code == 404
