"""Partners: one filter name documented (``function``) and accepted by both JSON APIs (with
``category``, its old name on /api/search/); every search result carries the date its page
shows."""

import pytest

from lessons.models import LessonSeriesPage

pytestmark = pytest.mark.django_db


def _search(client, **params):
    response = client.get("/api/search/", {"page_size": "50", **params})
    assert response.status_code == 200, response.content
    return response.json()


def _pages(client, **params):
    response = client.get(
        "/api/v2/pages/", {"type": "lessons.LessonPage", "fields": "function", **params}
    )
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.usefixtures("small_library")
@pytest.mark.parametrize("name", ["function", "category"])
def test_both_apis_filter_lessons_by_function_under_either_name(client, name):
    everything = _search(client, q="技术", type="lesson")["results"]
    found = _search(client, q="技术", type="lesson", **{name: "skills"})["results"]
    assert found and len(found) < len(everything)
    assert found == _search(client, q="技术", type="lesson", function="skills")["results"]

    items = _pages(client, **{name: "culture"})["items"]
    assert items and all(item["function"] == "culture" for item in items)
    assert items == _pages(client, function="culture")["items"]


@pytest.mark.parametrize("name", ["function", "category"])
def test_a_bad_function_is_a_400_naming_the_parameter_as_written(client, name):
    response = client.get("/api/search/", {"q": "水稻", name: "magic"})
    assert response.status_code == 400
    assert response.json()["parameter"] == name
    assert client.get("/api/v2/pages/", {name: "magic"}).status_code == 400


def test_partners_page_documents_one_name_for_the_function_filter(client):
    page = client.get("/zh-hans/partners/").content.decode()
    assert "/api/search/?q=水稻&amp;type=lesson&amp;function=skills" in page
    assert "&amp;function=skills&amp;limit=20" in page  # the pages API's example
    assert "category" not in page


@pytest.mark.usefixtures("small_library")
def test_every_search_result_carries_the_date_its_page_shows(client):
    series = LessonSeriesPage.objects.live().filter(locale__language_code="zh-hans").first()
    checked = set()
    for query in (series.title, "水稻", "远程教育", "站点"):
        for result in _search(client, q=query)["results"]:
            assert result["date"], result
            if result["type"] in checked and result["id"] != series.pk:
                continue
            checked.add(result["type"])
            path = result["url"].replace("http://testserver", "")
            page = client.get(path).content.decode()
            assert f'datetime="{result["date"]}"' in page, (result["title"], result["date"])
    assert series.pk in {result["id"] for result in _search(client, q=series.title)["results"]}
