"""An anonymous page or feed that nothing has changed since is a 304 before any view runs
(what nginx's revalidation of an expired copy costs, and a browser's); any publish gives
a new ETag and the new page; editors, display modes, search and the API never get one."""

import datetime

import pytest

from pioneer.caching import generation
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db
NEWEST = datetime.date(2099, 1, 1)


def test_an_unchanged_page_is_a_304_without_a_query(client, django_assert_num_queries):
    lesson = make_lesson("条件请求课程", date=NEWEST, slug="conditional")
    first = client.get(lesson.url)
    tag = first["ETag"]
    assert first.status_code == 200 and tag.startswith('W/"')
    with django_assert_num_queries(0):
        again = client.get(lesson.url, HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again["ETag"] == tag and again.content == b""
    other = client.get(lesson.get_parent().url, HTTP_IF_NONE_MATCH=tag)
    assert other.status_code == 200  # another address has a tag of its own


def test_a_publish_gives_a_new_tag_and_the_new_page(client):
    lesson = make_lesson("改名前的条件请求课程", date=NEWEST, slug="conditional-publish")
    urls = [lesson.url, lesson.get_parent().url, "/zh-hans/", "/feeds/zh-hans/lessons/rss.xml"]
    tags = {url: client.get(url)["ETag"] for url in urls}
    lesson.title = "改名后的条件请求课程"
    lesson.save_revision().publish()
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=tags[url])
        assert response.status_code == 200, url
        assert response["ETag"] != tags[url]
        assert "改名后的条件请求课程" in response.content.decode(), url


@pytest.mark.parametrize(
    "cookie, header",
    [("sessionid", None), ("csrftoken", None), ("mode", None), ("saver", None), (None, "on")],
)
def test_personal_views_get_no_tag(client, cookie, header):
    lesson = make_lesson("个人视图课程", slug="conditional-personal")
    tag = client.get(lesson.url)["ETag"]
    if cookie:
        client.cookies[cookie] = "x" * 32 if cookie in ("sessionid", "csrftoken") else "elder"
    extra = {"HTTP_SAVE_DATA": header} if header else {}
    response = client.get(lesson.url, HTTP_IF_NONE_MATCH=tag, **extra)
    assert response.status_code == 200
    assert "ETag" not in response


def test_search_and_the_api_keep_their_own_rules(client):
    search = client.get("/zh-hans/search/?q=水稻")
    assert search.status_code == 200 and "ETag" not in search
    api = client.get("/api/v2/pages/")
    assert api.status_code == 200
    assert api["ETag"] == client.get("/api/v2/pages/")["ETag"]  # the body's hash


def test_without_the_shared_cache_nothing_is_tagged(client, settings):
    lesson = make_lesson("缓存宕机的条件请求课程", slug="conditional-down")
    tag = client.get(lesson.url)["ETag"]
    settings.CACHES = {
        "default": {
            "BACKEND": "pioneer.caching.redis.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    assert generation.generation() is None
    response = client.get(lesson.url, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 200 and "ETag" not in response
