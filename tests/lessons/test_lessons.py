"""Lessons: validation, index filters and pagination, media, downloads, series, offline packs."""

import io
import json
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from lessons.models import LessonIndexPage, LessonPage
from pioneer.core.five_functions import Function, parse_function
from tests.support.factories import (
    function_index,
    make_document,
    make_image,
    make_lesson,
    make_media_lesson,
    make_series,
    region,
)
from tests.support.library import make_cover


def _lesson_with_video():
    """A lesson as editors make one with media: a cover, a video, an outline and a PDF."""
    return make_media_lesson("视频课样例", cover=make_image("视频课封面"))


def _lesson_in_series():
    """A series of three lessons: navigation needs a first, a middle and a last one."""
    lessons = [make_lesson(f"专题样例第{n}课") for n in ("一", "二", "三")]
    series = make_series("专题样例", lessons)
    return series, [m.lesson for m in series.members.all()]


# --- model validation --------------------------------------------------------------


@pytest.mark.django_db
def test_lesson_requires_a_function():
    from django.utils import translation

    lesson = LessonPage(title="无功能的课", summary="摘要", slug="no-function")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            lesson.clean()
        assert "请选择这节课所属的功能" in str(error.value)


def test_parse_function_accepts_key_and_chinese_name():
    assert parse_function("skills") == Function.SKILLS
    assert parse_function("信息沟通与应急响应") == Function.RESPONSE
    assert parse_function(" 思想理论教育 ") == Function.THEORY
    assert parse_function("种地") is None


@pytest.mark.django_db
def test_admin_refuses_to_publish_a_lesson_without_body(client, admin_user):
    parent = function_index("skills")
    client.force_login(admin_user)
    url = f"/admin/pages/add/lessons/lessonpage/{parent.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "title": "空白课程",
        "slug": "kongbai",
        "summary": "没有正文也没有音视频",
        "function": "skills",
        "date": "2026-01-01",
        "body-count": "0",
        "tags": "",
        "action-publish": "action-publish",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form comes back with errors
    message = "发布前请至少添加一段正文或一个音视频"
    html = response.content.decode()
    # StreamField errors reach the editor inside the block widget's JSON data.
    assert message in html or json.dumps(message)[1:-1] in html
    assert not LessonPage.objects.filter(slug="kongbai").exists()


# --- learner pages -----------------------------------------------------------------


@pytest.mark.django_db
def test_lesson_page_shows_media_first_then_outline_and_downloads(client):
    lesson = _lesson_with_video()
    html = client.get(lesson.url).content.decode()
    video = html.index("<video")
    assert 'preload="none"' in html
    assert video < html.index('id="downloads-h"')
    assert re.search(r"MP4 · [\d.]+\xa0(KB|字节|MB)", html)
    assert "PDF · " in html


@pytest.mark.django_db
def test_lesson_page_has_structured_data_and_open_graph(client):
    lesson = _lesson_with_video()
    html = client.get(lesson.url).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "LearningResource"
    assert data["name"] == lesson.title
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:image"' in html


@pytest.mark.django_db
def test_listing_images_are_lazy_webp_with_dimensions(client):
    make_lesson("带封面的课", cover=make_cover("列表封面"))
    make_lesson("带封面的另一课", cover=make_cover("列表封面二", colour=(200, 30, 30)))
    html = client.get("/zh-hans/lessons/").content.decode()
    images = re.findall(r"<img [^>]+>", html)
    assert images
    for tag in images:
        assert 'loading="lazy"' in tag
        assert ".webp" in tag
        assert 'width="320"' in tag and 'height="180"' in tag


@pytest.mark.django_db
def test_series_navigation_inside_a_lesson(client):
    series, members = _lesson_in_series()
    html = client.get(members[1].url).content.decode()
    assert series.title in html
    assert f"第 2 课，共 {len(members)} 课" in html
    assert members[0].title in html and members[2].title in html
    assert 'rel="prev"' in html and 'rel="next"' in html


@pytest.mark.django_db
def test_unpublished_series_member_is_skipped_in_navigation(client):
    series, members = _lesson_in_series()
    members[1].unpublish()
    html = client.get(members[0].url).content.decode()
    assert members[1].title not in html
    assert members[2].title in html


@pytest.mark.django_db
def test_related_lessons_share_tags(client):
    first = make_lesson("水稻育秧技术", tags=["测试标签甲"])
    second = make_lesson("水稻插秧技术", tags=["测试标签甲"])
    make_lesson("生猪防疫", tags=["测试标签乙"])
    html = client.get(first.url).content.decode()
    assert second.title in html
    assert "生猪防疫" not in html


@pytest.mark.django_db
def test_related_lessons_rank_more_shared_tags_before_newer_ones(client):
    import datetime

    tags = ["排序标签一", "排序标签二"]
    first = make_lesson("相关排序甲", tags=tags)
    both = make_lesson("相关排序乙", tags=tags, date=datetime.date(2026, 1, 2))
    newer = make_lesson("相关排序丙", tags=tags[:1], date=datetime.date(2026, 6, 1))
    assert list(first.related_lessons()) == [both, newer]


# --- indexes -----------------------------------------------------------------------


@pytest.mark.django_db
def test_function_index_lists_only_its_function(client):
    make_lesson("文化课样例", function="culture")
    make_lesson("技能课样例", function="skills")
    make_lesson("理论课样例", function="theory")
    index = function_index("culture")
    html = client.get(index.url).content.decode()
    for lesson in LessonPage.objects.live().filter(locale__language_code="zh-hans"):
        if lesson.function == "culture":
            continue
        assert f">{lesson.title}<" not in html


@pytest.mark.django_db
def test_all_lessons_index_filters_by_function_region_duration_and_tag(client):
    make_lesson("短课甲", function="response", duration_minutes=5, tags=["筛选测试"])
    make_lesson("长课乙", function="response", duration_minutes=80, tags=["筛选测试"])
    make_lesson("地区课丙", region=region("huzhou"))
    url = "/zh-hans/lessons/"
    html = client.get(url, {"function": "response", "duration": "short", "tag": "筛选测试"}).content
    html = html.decode()
    assert "短课甲" in html and "长课乙" not in html
    assert "共 1 节课程" in html
    region_lesson = (
        LessonPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .exclude(region=None)
        .first()
    )
    html = client.get(url, {"region": region_lesson.region.slug}).content.decode()
    assert region_lesson.title in html


@pytest.mark.django_db
def test_index_is_newest_first_and_paginated(client):
    import datetime

    for day in range(1, 14):  # one more than a page holds (per_page 12)
        make_lesson(f"分页课{day}", date=datetime.date(2026, 3, day))
    index = LessonIndexPage.objects.get(locale__language_code="zh-hans", slug="lessons")
    total = index.lessons().count()
    first_page = client.get(index.url).content.decode()
    newest = index.lessons().order_by("-date", "-pk").first()
    assert newest.title in first_page
    assert f"共 {total} 节课程" in first_page
    last = (total - 1) // LessonIndexPage.per_page + 1
    assert client.get(index.url, {"page": last}).status_code == 200
    assert client.get(index.url, {"page": last + 1}).status_code == 404
    assert client.get(index.url, {"page": "abc"}).status_code == 200


@pytest.mark.django_db
def test_unknown_filter_values_give_a_normal_page(client):
    response = client.get("/zh-hans/lessons/", {"function": "magic", "region": "nowhere"})
    assert response.status_code == 200
    assert "部分筛选条件无法识别" in response.content.decode()


# --- query counts ------------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (site root paths, renditions)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_lesson_page_queries_do_not_grow(client, django_assert_max_num_queries):
    first = make_document("附件0")
    lesson = make_lesson(
        "查询计数课",
        tags=["计数1"],
        body=[
            ("paragraph", RichText("<p>正文</p>")),
            ("attachment", {"document": first, "title": ""}),
        ],
    )
    before = _queries(client, lesson.url, django_assert_max_num_queries)
    lesson.tags.add(*[f"计数{i}" for i in range(2, 12)])
    documents = [make_document(f"附件{i}") for i in range(8)]
    lesson.body = [("paragraph", RichText("<p>正文</p>"))] + [
        ("attachment", {"document": d, "title": ""}) for d in documents
    ]
    lesson.save_revision().publish()
    for i in range(10):
        make_lesson(f"同标签课{i}", tags=["计数1", "计数2"])
    after = _queries(client, lesson.url, django_assert_max_num_queries)
    assert after == before


@pytest.mark.django_db
def test_lesson_index_queries_do_not_grow(client, django_assert_max_num_queries):
    url = function_index("education").url
    before = _queries(client, url, django_assert_max_num_queries)
    for i in range(15):
        make_lesson(f"学历课{i}", function="education", tags=[f"学历{i}", "学历"])
    after = _queries(client, url, django_assert_max_num_queries)
    assert after == before


@pytest.mark.django_db
def test_series_page_queries_do_not_grow(client, django_assert_max_num_queries):
    series, _members = _lesson_in_series()
    before = _queries(client, series.url, django_assert_max_num_queries)
    from lessons.models import SeriesMember

    for i in range(6):
        lesson = make_lesson(f"专题新增课{i}", function=series.get_parent().specific.function)
        SeriesMember.objects.create(series=series, lesson=lesson, sort_order=100 + i)
    after = _queries(client, series.url, django_assert_max_num_queries)
    assert after == before


# --- offline packs -----------------------------------------------------------------


@pytest.mark.django_db
def test_offline_pack_of_a_lesson_is_self_contained(client):
    lesson = _lesson_with_video()
    page_html = client.get(lesson.url).content.decode()
    assert "下载离线课件包" in page_html
    response = client.get(lesson.url + "offline/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    html = archive.read("index.html").decode()
    assert lesson.title in html
    assert "<video" in html
    for link in re.findall(r'(?:src|href|poster)="([^"]+)"', html):
        assert not link.startswith(("http", "/")), link  # nothing outside the pack
        assert link in names, link
    assert any(name.endswith(".mp4") for name in names)
    assert any(name.endswith(".pdf") for name in names)


@pytest.mark.django_db
def test_offline_pack_is_cached_until_the_lesson_changes(client):
    from django.core.files.storage import default_storage

    lesson = make_lesson("离线缓存课")
    first_key = lesson.offline_pack_key
    b"".join(client.get(lesson.url + "offline/").streaming_content)
    assert default_storage.exists(first_key)
    lesson.summary = "新的摘要"
    lesson.save_revision().publish()
    lesson = LessonPage.objects.get(locale__language_code="zh-hans", pk=lesson.pk)
    assert lesson.offline_pack_key != first_key
    content = b"".join(client.get(lesson.url + "offline/").streaming_content)
    assert "新的摘要" in zipfile.ZipFile(io.BytesIO(content)).read("index.html").decode()


@pytest.mark.django_db
def test_offline_pack_of_a_series_links_its_lessons(client):
    series, members = _lesson_in_series()
    response = client.get(series.url + "offline/")
    content = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    index = archive.read("index.html").decode()
    for number, lesson in enumerate(members, start=1):
        assert lesson.title in index
        assert f"lesson-{number:02d}.html" in archive.namelist()
    assert 'rel="next"' in archive.read("lesson-01.html").decode()


@pytest.mark.django_db
def test_offline_pack_of_an_unpublished_lesson_is_not_served(client):
    lesson = make_lesson("未发布的课", publish=False)
    assert client.get(f"/zh-hans/lessons/shiyong-jishu/{lesson.slug}/offline/").status_code == 404
