"""What else a page's purge names besides the page and its listings: its feeds, the
sitemap and the widget's plain address, as the feeds, the sitemap and the widget register
them with the front cache (pioneer.caching.front_cache.purge_also), the feeds and the
widget reading each page's content kind (pioneer.core.content_types)."""

import pytest

from lessons.models import LessonPage, LessonSeriesPage
from news.models import NewsPage, PolicyPage
from pioneer.caching import front_cache
from pioneer.core.sitemap import sitemap_paths
from pioneer.partners.feeds import feed_paths
from pioneer.partners.widget import widget_paths

pytestmark = pytest.mark.django_db


def feeds(*names):
    return [f"/feeds/zh-hans/{name}/{form}.xml" for name in names for form in ("rss", "atom")]


def regional(page):
    return [f"regions/{r.slug}" for r in [page.region, *page.region.ancestors()]]


def first(model, **filters):
    return model.objects.live().filter(locale__language_code="zh-hans", **filters).first()


def test_the_providers_are_registered_in_order():
    assert front_cache._path_providers == [feed_paths, sitemap_paths, widget_paths]


@pytest.mark.demo
def test_a_lesson_purges_its_feeds_its_function_and_regions_feeds_and_the_widget():
    lesson = first(LessonPage, region__isnull=False)
    names = ["lessons", f"lessons/{lesson.function}", *regional(lesson)]
    assert feed_paths(lesson) == feeds(*names)
    assert widget_paths(lesson) == ["/embed/lessons/"]
    assert sitemap_paths(lesson) == ["/sitemap.xml"]


@pytest.mark.demo
def test_news_purges_its_feed_and_its_regions_feeds_not_the_widget():
    news = first(NewsPage, region__isnull=False)
    assert feed_paths(news) == feeds("news", *regional(news))
    assert widget_paths(news) == []


@pytest.mark.demo
def test_a_policy_purges_the_policies_feed_only():
    policy = first(PolicyPage)
    assert feed_paths(policy) == feeds("policies")
    assert widget_paths(policy) == []


@pytest.mark.demo
def test_a_series_or_an_index_is_in_no_feed():
    series = first(LessonSeriesPage)
    assert feed_paths(series) == [] and widget_paths(series) == []
    index = first(LessonPage).get_parent()
    assert feed_paths(index) == [] and widget_paths(index) == []
