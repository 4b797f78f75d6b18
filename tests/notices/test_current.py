"""Which notices are in force for whom: by region (a region's notice concerns every
region below it) and by the clock alone, with nothing published in between."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale

from notices import current
from tests.support.factories import make_notice, region

pytestmark = pytest.mark.django_db


def _titles(notices):
    return {notice.title for notice in notices}


@pytest.fixture
def zh():
    return Locale.objects.get(language_code="zh-hans")


def test_a_county_notice_concerns_that_county_only(zh):
    make_notice("桐庐台风红色预警", "tonglu")
    assert _titles(current.in_force(zh, region("tonglu"))) == {"桐庐台风红色预警"}
    assert _titles(current.in_force(zh, region("anji"))) == set()
    assert _titles(current.in_force(zh, None)) == set()  # no region chosen: the province's


def test_a_city_notice_reaches_its_counties_and_a_province_notice_everyone(zh):
    make_notice("杭州暴雨橙色预警", "hangzhou", level="orange")
    make_notice("全省寒潮蓝色预警", "zhejiang", level="blue")
    assert _titles(current.in_force(zh, region("tonglu"))) == {
        "杭州暴雨橙色预警",
        "全省寒潮蓝色预警",
    }
    assert _titles(current.in_force(zh, region("anji"))) == {"全省寒潮蓝色预警"}
    assert _titles(current.in_force(zh, None)) == {"全省寒潮蓝色预警"}


def test_the_areas_chosen_decide_not_the_issuing_office(zh):
    make_notice("杭州市发给桐庐的预警", "hangzhou", areas=["tonglu"])
    assert _titles(current.in_force(zh, region("tonglu"))) == {"杭州市发给桐庐的预警"}
    assert _titles(current.in_force(zh, region("chunan"))) == set()


def test_most_severe_first(zh):
    make_notice("蓝", "tonglu", level="blue")
    make_notice("红", "tonglu", level="red")
    make_notice("黄", "tonglu", level="yellow")
    assert [n.title for n in current.in_force(zh, region("tonglu"))] == ["红", "黄", "蓝"]


def test_a_notice_starts_and_ends_by_the_clock_alone(zh):
    now = timezone.now()
    make_notice(
        "明天开始的预警",
        "tonglu",
        starts_at=now + datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=70),
    )
    tonglu = region("tonglu")
    assert current.in_force(zh, tonglu, now) == []
    later = now + datetime.timedelta(minutes=11)
    assert _titles(current.in_force(zh, tonglu, later)) == {"明天开始的预警"}
    after = now + datetime.timedelta(minutes=71)
    assert current.in_force(zh, tonglu, after) == []


def test_ended_and_unpublished_notices_are_not_in_force(zh):
    now = timezone.now()
    make_notice("已结束", "tonglu", ends_at=now - datetime.timedelta(minutes=1))
    make_notice("草稿", "tonglu", publish=False)
    assert current.in_force(zh, region("tonglu")) == []


def test_a_region_feed_also_carries_the_notices_of_regions_below_it(zh):
    make_notice("桐庐的预警", "tonglu")
    assert _titles(current.concerning(zh, region("hangzhou"))) == {"桐庐的预警"}
    assert _titles(current.concerning(zh, region("huzhou"))) == set()


def test_an_untranslated_notice_shows_in_english_in_its_own_words():
    from pioneer.caching import generation

    make_notice("全省寒潮蓝色预警", "zhejiang", level="blue")
    generation.forget()
    english = Locale.objects.get(language_code="en")
    assert _titles(current.in_force(english, None)) == {"全省寒潮蓝色预警"}
