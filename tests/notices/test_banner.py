"""The notices at the top of every page: for the learner's chosen region, in words and
colour, rendered into the page without nginx and left to nginx's include behind it; never
a reason for a page to fail."""

import datetime

import pytest
from django.db import DatabaseError
from django.utils import timezone

from notices import current
from tests.support.factories import make_lesson, make_notice

pytestmark = pytest.mark.django_db

PAGES = ["/zh-hans/", "/zh-hans/lessons/", "/zh-hans/news/", "/zh-hans/search/?q=水稻"]


@pytest.fixture
def typhoon():
    return make_notice(
        "台风“海葵”红色预警", "tonglu", summary="今晚起有十二级大风，请各站点停止集中收看。"
    )


@pytest.mark.parametrize("path", PAGES)
def test_a_learner_of_the_county_sees_its_notice_on_every_page(client, typhoon, path):
    client.cookies["region"] = "tonglu"
    html = client.get(path).content.decode()
    assert "台风“海葵”红色预警" in html
    assert "红色预警" in html  # the level in words, not colour alone
    assert 'class="alert alert-red"' in html
    assert "今晚起有十二级大风" in html


@pytest.mark.parametrize("path", PAGES)
def test_a_learner_of_another_county_does_not(client, typhoon, path):
    client.cookies["region"] = "anji"
    html = client.get(path).content.decode()
    assert "台风“海葵”" not in html
    assert 'class="alerts"' not in html


def test_in_the_data_saver_and_elder_modes_too(client, typhoon):
    client.cookies["region"] = "tonglu"
    client.cookies["mode"] = "elder"
    client.cookies["saver"] = "on"
    assert "台风“海葵”红色预警" in client.get("/zh-hans/lessons/").content.decode()


def test_behind_nginx_the_page_carries_the_include_instead(client, typhoon):
    client.cookies["region"] = "tonglu"
    html = client.get("/zh-hans/lessons/", HTTP_X_PIONEER_SSI="1").content.decode()
    assert "台风“海葵”" not in html
    assert '<!--# include virtual="/_notices/zh-hans/$pioneer_region/"' in html
    assert 'stub="pioneer_no_notices"' in html


def test_behind_nginx_a_learner_with_no_region_gets_the_notices_in_the_page(client, typhoon):
    """nginx sends this copy from its cache as it is (no include to fill): the province's
    notices are in it, a county's are not, whatever cookie Django would read."""
    make_notice("全省寒潮预警", "zhejiang")
    client.cookies["region"] = "tonglu"  # a repeated cookie nginx read as none chosen
    html = client.get("/zh-hans/lessons/", HTTP_X_PIONEER_REGION="-").content.decode()
    assert "全省寒潮预警" in html
    assert "台风“海葵”" not in html and "<!--#" not in html


def test_behind_nginx_the_region_is_the_one_nginx_keys_the_copy_by(client, typhoon):
    client.cookies["region"] = "anji"
    html = client.get("/zh-hans/", HTTP_X_PIONEER_REGION="tonglu").content.decode()
    assert "台风“海葵”红色预警" in html and "桐庐县：本地内容" in html


def test_the_include_answers_per_region_and_is_kept_half_a_minute(client, typhoon):
    response = client.get("/_notices/zh-hans/tonglu/")
    assert response.status_code == 200
    assert "台风“海葵”红色预警" in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=30"
    assert "ETag" not in response  # no generation ETag: the clock decides
    other = client.get("/_notices/zh-hans/anji/").content.decode()
    assert "台风“海葵”" not in other and other == ""
    assert client.get("/_notices/xx/tonglu/").status_code in (302, 404)
    assert client.get("/_notices/zh-hans/-/").status_code == 200  # none chosen


def test_no_notice_means_no_banner(client):
    client.cookies["region"] = "tonglu"
    html = client.get("/zh-hans/lessons/").content.decode()
    assert 'class="alerts"' not in html
    assert client.get("/_notices/zh-hans/tonglu/").content == b""


def test_an_ended_notice_leaves_without_anything_published(client):
    notice = make_notice("即将结束的预警", "tonglu")
    client.cookies["region"] = "tonglu"
    assert "即将结束的预警" in client.get("/zh-hans/").content.decode()
    # The clock moves past its end: the same generation, nothing published.
    type(notice).objects.filter(pk=notice.pk).update(
        ends_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    # (the memo still holds the old end time: the clock is checked against that copy)
    later = timezone.now() + datetime.timedelta(days=2)
    everywhere = current.in_force(notice.locale, None, later, everywhere=True)
    assert notice.pk not in {shown.pk for shown in everywhere}


def test_the_database_away_costs_the_banner_not_the_page(client, typhoon, monkeypatch):
    make_lesson("水稻栽培")

    def away(locale_pk):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(current, "_unended", away)
    from pioneer.caching import generation

    generation.forget()
    client.cookies["region"] = "tonglu"
    response = client.get("/zh-hans/lessons/")
    assert response.status_code == 200
    assert "台风" not in response.content.decode()
    assert client.get("/_notices/zh-hans/tonglu/").status_code == 503  # nginx keeps its copy


def test_the_page_etag_changes_when_a_notice_starts(client):
    from pioneer.caching import generation

    def settled_etag():
        client.get("/zh-hans/lessons/")  # the notices read for this generation
        return client.get("/zh-hans/lessons/")["ETag"]

    now = timezone.now()
    notice = make_notice("稍后开始", "zhejiang", starts_at=now + datetime.timedelta(hours=1))
    before = settled_etag()
    assert settled_etag() == before  # nothing changed: a revalidation gets its 304
    # The clock reaches its start (moved here by hand, without publishing).
    type(notice).objects.filter(pk=notice.pk).update(starts_at=now - datetime.timedelta(hours=1))
    generation.forget()
    after = settled_etag()
    assert after != before
    assert client.get("/zh-hans/lessons/", HTTP_IF_NONE_MATCH=before).status_code == 200
