"""Rendered fragments and per-process lookups are keyed on the content generation: a
page, its index and the home page show a publish, an unpublish or a new view restriction
on the very next request, never a fragment rendered before it; previews and the data
saver get their own rendering; the one-query router finds what Wagtail's walk found."""

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from pioneer.caching import generation
from tests.support.factories import function_index, make_lesson

pytestmark = pytest.mark.django_db
NEWEST = datetime.date(2099, 1, 1)  # first in every listing


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response.status_code, response.content.decode()


def test_a_publish_shows_at_once_on_the_page_its_index_and_home(client):
    lesson = make_lesson("缓存中的课程甲", date=NEWEST)
    index, home = lesson.get_parent().url, "/zh-hans/"
    for url in (lesson.url, index, home):
        assert "缓存中的课程甲" in get(client, url)[1]
        assert "缓存中的课程甲" in get(client, url)[1]  # now from the fragment cache
    before = generation.generation()
    lesson.title, lesson.summary = "缓存中的课程乙", "改过的摘要"
    lesson.save_revision().publish()
    assert generation.generation() != before
    for url in (lesson.url, index, home):
        body = get(client, url)[1]
        assert "缓存中的课程乙" in body and "缓存中的课程甲" not in body, url


def test_an_unpublish_leaves_every_listing_at_once(client):
    lesson = make_lesson("即将下线的课程", date=NEWEST)
    index = lesson.get_parent().url
    assert "即将下线的课程" in get(client, index)[1]
    assert "即将下线的课程" in get(client, "/zh-hans/")[1]
    url = lesson.url
    lesson.unpublish()
    assert get(client, url)[0] == 404
    assert "即将下线的课程" not in get(client, index)[1]
    assert "即将下线的课程" not in get(client, "/zh-hans/")[1]


def test_a_new_view_restriction_applies_to_the_next_request(client):
    lesson = make_lesson("稍后设为内部的课程", date=NEWEST)
    index = lesson.get_parent().url
    assert get(client, lesson.url)[0] == 200
    assert "稍后设为内部的课程" in get(client, index)[1]
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="站点管理员（测试）")])
    assert get(client, lesson.url)[0] == 302  # to the login, not the lesson
    assert "稍后设为内部的课程" not in get(client, index)[1]


def test_the_data_saver_gets_its_own_rendering(client):
    index = function_index("skills").url
    normal = get(client, index)[1]
    saver = get(client, index, HTTP_SAVE_DATA="on")[1]
    assert normal != saver
    assert get(client, index)[1] == normal
    assert get(client, index, HTTP_SAVE_DATA="on")[1] == saver


def test_a_forgotten_generation_starts_again_and_still_moves(client):
    from django.core.cache import cache

    lesson = make_lesson("缓存清空后的课程")
    get(client, lesson.url)
    cache.clear()  # Redis restarted or evicted the key
    assert "缓存清空后的课程" in get(client, lesson.url)[1]
    first = generation.generation()
    lesson.title = "缓存清空后改名的课程"
    lesson.save_revision().publish()
    assert generation.generation() != first
    assert "缓存清空后改名的课程" in get(client, lesson.url)[1]


def test_with_the_shared_cache_down_every_change_shows_at_once(client, settings):
    """No generation can be read or raised while Redis is away, so nothing a worker keeps
    (fragments, routes, the site) may be keyed on one: a publish during the outage shows
    on the very next request, with no purge and no fragment to wait out."""
    lesson = make_lesson("缓存宕机时的课程甲", date=NEWEST, slug="cache-down", summary="摘要")
    index, home = lesson.get_parent().url, "/zh-hans/"
    settings.CACHES = {
        "default": {
            "BACKEND": "pioneer.caching.redis.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: refused at once
        }
    }
    assert generation.generation() is None
    for url in (lesson.url, index, home):
        assert "缓存宕机时的课程甲" in get(client, url)[1]
        assert "缓存宕机时的课程甲" in get(client, url)[1]
    lesson.title = "缓存宕机时的课程乙"
    lesson.save_revision().publish()
    for url in (lesson.url, index, home):
        body = get(client, url)[1]
        assert "缓存宕机时的课程乙" in body and "缓存宕机时的课程甲" not in body, url
    url = lesson.url
    lesson.unpublish()
    assert get(client, url)[0] == 404


def test_a_preview_is_never_taken_from_the_fragment_cache(client):
    from django.template import engines
    from django.test import RequestFactory

    lesson = make_lesson("已发布的标题")
    template = engines["django"].from_string(
        '{% load pioneer_tags %}{% fragment "t" %}{{ page.title }}{% endfragment %}'
    )
    request = RequestFactory().get(lesson.url)
    assert template.render({"page": lesson, "request": request}) == "已发布的标题"
    lesson.title = "草稿中的标题"  # what a preview renders: the draft, not saved
    assert template.render({"page": lesson, "request": request}) == "已发布的标题"
    request.is_preview = True
    assert template.render({"page": lesson, "request": request}) == "草稿中的标题"


@pytest.mark.parametrize(
    "suffix, status",
    [("", 200), ("offline/", 200), ("no-such-page/", 404), ("a/" * 20, 404)],
)
def test_the_router_finds_what_wagtails_walk_finds(client, suffix, status):
    lesson = make_lesson("路由测试课程")
    assert client.get(lesson.url + suffix).status_code == status


def test_an_untranslated_english_page_still_sends_readers_to_the_chinese_one(client):
    from wagtail.models import Page
    from wagtail_localize.synctree import create_aliases_for_new_page

    lesson = make_lesson("尚未翻译的课程")
    create_aliases_for_new_page(lesson)  # what the admin's after_create_page hook does
    alias = Page.objects.filter(
        locale__language_code="en", alias_of__live=True, depth__gt=3, alias_of=lesson
    ).first()
    assert alias is not None  # load_demo's synchronised English tree
    response = client.get(alias.url)
    assert response.status_code == 302
    assert response["Location"].endswith(alias.alias_of.url)


def test_api_answers_come_from_the_cache_until_a_publish(client, django_assert_num_queries):
    lesson = make_lesson("接口缓存课程甲", date=NEWEST, slug="api-cache", summary="摘要")
    url = f"/api/v2/pages/{lesson.pk}/"
    first = client.get(url)
    assert first.status_code == 200 and "接口缓存课程甲" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Length"] == first["Content-Length"] == str(len(first.content))
    lesson.title = "接口缓存课程乙"
    lesson.save_revision().publish()
    body = client.get(url).content.decode()
    assert "接口缓存课程乙" in body and "接口缓存课程甲" not in body
    assert client.get("/api/v2/pages/?limit=abc").status_code == 400  # errors are not kept


def test_a_change_during_a_redis_outage_moves_the_generation_once_it_is_back(client, settings):
    """A bump lost while Redis was away (and a Redis that kept its data still holds the old
    number) must not let pages, ETags or API answers of before the change come back."""
    before = generation.generation()
    shared = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "pioneer.caching.redis.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    lesson = make_lesson("宕机期间发布的课程", slug="outage-publish")
    assert generation.generation() is None
    settings.CACHES = shared  # back, with the number it held before the outage
    assert generation.generation() not in (None, before)
    assert "宕机期间发布的课程" in get(client, lesson.url)[1]
