"""Every page type renders for a learner, in Chinese, with its content."""

import datetime
import re

import pytest
from wagtail.models import Page

from lessons.models import LessonPage
from news.models import NewsPage, PolicyPage
from tests.support.factories import make_lesson, make_news, make_policy, one_of_each
from tests.support.page_types import PAGE_TYPES

pytestmark = pytest.mark.django_db
NEWEST = datetime.date(2099, 1, 1)  # newer than anything the demo holds


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_page_type_renders(client, model):
    page = one_of_each().get(model)
    assert page is not None, f"the demo has no {model.__name__}"
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    assert page.title in html
    assert 'href="#main"' in html  # skip link
    scripts = re.findall(r"<script[^>]*>", html)
    assert all('type="application/ld+json"' in tag for tag in scripts), scripts  # no JS needed


def test_root_redirects_to_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"


def test_root_follows_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


def test_home_links_the_five_functions(client):
    html = client.get("/zh-hans/").content.decode()
    for name in [
        "思想理论教育",
        "实用技术培训",
        "文化艺术熏陶",
        "学历教育培训",
        "信息沟通与应急响应",
    ]:
        assert name in html


def newest_first_then_more(make, label, count, field):
    """The newest item made first (lowest pk), then more than home lists, older each: home
    shows the newest only if it orders by date, not by when pages were made."""
    make(f"首页最新{label}", **{field: NEWEST})
    for n in range(1, count + 1):
        make(f"首页较早{label}{n}", **{field: NEWEST - datetime.timedelta(days=n)})


def test_home_shows_newest_items_of_each_section(client):
    newest_first_then_more(make_lesson, "课程", 7, "date")  # home lists 6 lessons,
    newest_first_then_more(make_news, "新闻", 7, "date")  # 6 news items
    newest_first_then_more(make_policy, "文件", 6, "issue_date")  # and 5 policies
    html = client.get("/zh-hans/").content.decode()
    newest_lesson = (
        LessonPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .order_by("-date", "-pk")
        .first()
    )
    newest_news = (
        NewsPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .order_by("-date", "-pk")
        .first()
    )
    newest_policy = (
        PolicyPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .order_by("-issue_date", "-pk")
        .first()
    )
    for page in (newest_lesson, newest_news, newest_policy):
        assert page.title in html


def test_unpublished_page_is_not_listed_on_home(client):
    make_lesson("即将撤下的首页课程", date=NEWEST)
    lesson = (
        LessonPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .order_by("-date", "-pk")
        .first()
    )
    lesson.unpublish()
    html = client.get("/zh-hans/").content.decode()
    assert lesson.title not in html
    assert client.get(lesson.url).status_code == 404


def test_chinese_404_page(client):
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_is_chinese_and_self_contained():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "服务暂时出错" in html
    assert "{%" not in html


@pytest.mark.demo
def test_every_live_page_answers(client):
    for page in Page.objects.live().filter(depth__gt=1, alias_of__isnull=True).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
