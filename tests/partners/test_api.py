"""The partners' JSON API (/api/v2/): public pages only, filters, search, bad input."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from lessons.models import LessonPage
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def pest_control_lesson():
    """A title in which 病虫害 is written with no space around it, as editors title lessons
    (its own slug: the demo has a lesson of that title)."""
    return make_lesson(
        "水稻病虫害绿色防控技术", function="response", tags=["水稻"], slug="yangshu-lvse-fangkong"
    )


def _get(client, **params):
    response = client.get("/api/v2/pages/", params)
    return response, response.json()


def test_lists_only_live_public_pages_of_one_locale(client):
    draft = make_lesson("未发布的慈姑课", publish=False)
    private = make_lesson("内部的慈姑课")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response, data = _get(client, type="lessons.LessonPage", limit=50, search="慈姑")
    assert response.status_code == 200
    titles = {item["title"] for item in data["items"]}
    assert draft.title not in titles and private.title not in titles
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    _response, english = _get(client, locale="en", limit=50)
    assert all(item["meta"]["locale"] == "en" for item in english["items"])


@pytest.mark.usefixtures("small_library")
def test_filters_function_region_tag_and_dates(client):
    _r, data = _get(client, function="culture", type="lessons.LessonPage", fields="function")
    assert data["items"] and all(i["function"] == "culture" for i in data["items"])
    _r, data = _get(client, region="huzhou", type="news.NewsPage", fields="region")
    assert data["items"]
    assert all(i["region"]["slug"] in ("huzhou", "anji") for i in data["items"])
    _r, data = _get(client, tag="水稻", type="lessons.LessonPage", fields="tags")
    assert data["items"] and all(
        any(t["slug"] == "水稻" for t in item["tags"]) for item in data["items"]
    )
    _r, data = _get(
        client,
        type="lessons.LessonPage",
        date_from="2026-01-01",
        date_to="2026-06-30",
        fields="date",
    )
    assert data["items"] and all("2026-01-01" <= i["date"] <= "2026-06-30" for i in data["items"])


@pytest.mark.usefixtures("small_library", "pest_control_lesson")
def test_search_uses_the_chinese_segmentation(client):
    _r, data = _get(client, search="病虫害", type="lessons.LessonPage")
    assert "水稻病虫害绿色防控技术" in {item["title"] for item in data["items"]}


@pytest.mark.usefixtures("small_library")
def test_field_selection_and_pagination(client):
    _r, data = _get(client, type="lessons.LessonPage", fields="summary,duration_minutes", limit=5)
    assert (
        len(data["items"]) == 5
        and data["meta"]["total_count"]
        == LessonPage.objects.live().filter(locale__language_code="zh-hans").count()
    )
    assert "summary" in data["items"][0] and "duration_minutes" in data["items"][0]
    _r, more = _get(client, type="lessons.LessonPage", limit=5, offset=5)
    assert {i["id"] for i in more["items"]}.isdisjoint({i["id"] for i in data["items"]})


@pytest.mark.parametrize(
    "params",
    [
        {"function": "magic"},
        {"region": "atlantis"},
        {"date_from": "yesterday"},
        {"locale": "fr"},
        {"limit": "abc"},
        {"limit": "-1"},
        {"offset": "x"},
        {"type": "nope.Nope"},
        {"unknown_parameter": "1"},
        {"limit": "1000000"},
    ],
)
def test_bad_parameters_get_400(client, params):
    response = client.get("/api/v2/pages/", params)
    assert response.status_code == 400
    assert "message" in response.json()


@pytest.mark.parametrize("search", ['"(((', "AND OR", "x" * 3000, "\x00", "😀"])
def test_hostile_search_never_fails(client, search):
    assert client.get("/api/v2/pages/", {"search": search}).status_code in (200, 400)


@pytest.mark.usefixtures("small_library")
def test_images_and_documents_only_from_public_pages(client):
    from tests.support.factories import make_document

    lonely = make_document("只在草稿里的附件")
    data = client.get("/api/v2/documents/", {"limit": 50}).json()
    assert data["meta"]["total_count"] > 0
    assert lonely.pk not in {item["id"] for item in data["items"]}
    assert client.get("/api/v2/images/").status_code == 200


def test_api_is_open_to_other_origins_for_get(client):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/api/v2/pages/?limit=3", "/api/search/?q=水稻"])
def test_api_conditional_get(client, path):
    first = client.get(path)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_api_etag_changes_when_content_changes(client):
    path = "/api/v2/pages/?type=lessons.LessonPage&limit=1&order=-id"
    first = client.get(path)
    make_lesson("新发布的荸荠课")
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_partners_guide_lists_endpoints_and_limits(client):
    html = client.get("/zh-hans/partners/").content.decode()
    assert "开放接口说明" in html
    for needle in ["/feeds/zh-hans/lessons/rss.xml", "/api/search/?q=", "/api/v2/pages/", "429"]:
        assert needle in html
    assert client.get("/en/partners/").status_code == 200


@pytest.mark.parametrize(
    ("api", "search", "zh", "en"),
    [
        ("120/m", "60/m", ("最多 120 次", "最多 60 次"), "allows 120 requests a minute"),
        ("2/s", "600/10m", ("最多 120 次", "最多 60 次"), "allows 120 requests a minute"),
    ],
)
def test_partners_guide_states_limits_as_requests_a_minute(client, settings, api, search, zh, en):
    """The sentence says "a minute" itself: the numbers, not the limiter's "120/m"."""
    settings.RATE_LIMIT_API, settings.RATE_LIMIT_SEARCH = api, search
    html = client.get("/zh-hans/partners/").content.decode()
    assert all(text in html for text in zh), html
    assert "/m 次" not in html and "/s 次" not in html
    english = client.get("/en/partners/").content.decode()
    assert en in english and "/m " not in english.split("<main", 1)[1]


@pytest.mark.usefixtures("small_library")
def test_deep_offsets_give_the_same_items_as_a_walk_from_the_start(client, monkeypatch):
    """Past the first rows an offset starts at a bookmark (pioneer.core.pagination): every
    window of the listing, and the documents', is the same as Wagtail's own slice."""
    from pioneer.core import pagination

    monkeypatch.setattr(pagination, "DIRECT_ROWS", 0)
    monkeypatch.setattr(pagination, "STEP", 3)
    for n in range(6):
        make_lesson(f"翻页课{n}")
    _r, whole = _get(client, type="lessons.LessonPage", limit=50)
    ids = [item["id"] for item in whole["items"]]
    assert len(ids) > 8
    for offset in range(len(ids) + 2):
        _r, window = _get(client, type="lessons.LessonPage", limit=4, offset=offset)
        assert [item["id"] for item in window["items"]] == ids[offset : offset + 4]
        assert window["meta"]["total_count"] == len(ids)
    with CaptureQueriesContext(connection) as queries:
        _get(client, type="lessons.LessonPage", limit=4, offset=len(ids) - 6)
    sql = " ".join(q["sql"] for q in queries)
    offsets = [int(n) for n in re.findall(r"OFFSET (\d+)", sql)]
    assert "COUNT(" not in sql and max(offsets, default=0) < 3  # kept total, a bookmark
    _r, by_id = _get(client, type="lessons.LessonPage", limit=5, offset=7, order="-id")
    assert [item["id"] for item in by_id["items"]] == sorted(ids, reverse=True)[7:12]
    documents = client.get("/api/v2/documents/", {"limit": 50}).json()["items"]
    deep = client.get("/api/v2/documents/", {"limit": 2, "offset": 1}).json()["items"]
    assert [d["id"] for d in deep] == [d["id"] for d in documents[1:3]]
    assert client.get("/api/v2/documents/", {"offset": "x"}).status_code == 400
    assert client.get("/api/v2/images/", {"limit": "51"}).status_code == 400
