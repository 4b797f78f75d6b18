"""What else a page's purge names besides the page and its listings: its feeds, the
sitemap and the widget's plain address, as the feeds, the sitemap and the widget register
them with the front cache (pioneer.caching.front_cache.purge_also), the feeds and the
widget reading each page's content kind (pioneer.core.content_types)."""

import pytest

from pioneer.caching import front_cache
from pioneer.core.sitemap import sitemap_paths
from pioneer.partners.feeds import feed_paths
from pioneer.partners.widget import widget_paths
from tests.support.factories import make_lesson, make_news, make_policy, make_series, region


def feeds(*names):
    return [f"/feeds/zh-hans/{name}/{form}.xml" for name in names for form in ("rss", "atom")]


def regional(page):
    return [f"regions/{r.slug}" for r in [page.region, *page.region.ancestors()]]


# A county: its feeds and those of its city and of the province are named.
COUNTY = "xihu"


def test_the_providers_are_registered_in_order():
    assert front_cache._path_providers == [feed_paths, sitemap_paths, widget_paths]


@pytest.mark.django_db
def test_a_lesson_purges_its_feeds_its_function_and_regions_feeds_and_the_widget():
    lesson = make_lesson("清除路径测试课程", function="culture", region=region(COUNTY))
    names = ["lessons", f"lessons/{lesson.function}", *regional(lesson)]
    assert feed_paths(lesson) == feeds(*names)
    assert widget_paths(lesson) == ["/embed/lessons/"]
    # The index and the lessons' files (one, and the next a new lesson may start).
    assert sitemap_paths(lesson) == [
        "/sitemap.xml",
        "/sitemap-lesson.xml",
        "/sitemap-lesson.xml?p=2",
    ]


@pytest.mark.django_db
def test_news_purges_its_feed_and_its_regions_feeds_not_the_widget():
    news = make_news("清除路径测试新闻", COUNTY)
    assert feed_paths(news) == feeds("news", *regional(news))
    assert widget_paths(news) == []


@pytest.mark.django_db
def test_a_policy_purges_the_policies_feed_only():
    policy = make_policy("清除路径测试文件", doc_number="浙测清〔2026〕7号")
    assert feed_paths(policy) == feeds("policies")
    assert widget_paths(policy) == []


@pytest.mark.django_db
def test_a_series_or_an_index_is_in_no_feed():
    lesson = make_lesson("清除路径专题课程")
    series = make_series("清除路径测试专题", [lesson])
    assert feed_paths(series) == [] and widget_paths(series) == []
    index = lesson.get_parent()
    assert feed_paths(index) == [] and widget_paths(index) == []
