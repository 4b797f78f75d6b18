"""A page restricted with Wagtail's privacy setting (an internal notice for station
managers, a lesson for logged-in users) appears on no public surface, while a public
page published beside it appears on all of them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from news.models import NewsIndexPage, NewsPage, regional_news_index
from pioneer.editorial.role_setup import STATION_MANAGERS
from tests.support.editorial import region
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

SECRET = "站务内参甲乙丙"
PUBLIC = "公开通知丁戊己"


def news(title):
    root = NewsIndexPage.objects.get(locale__language_code="zh-hans", region=None, slug="news")
    page = NewsPage(title=title, summary=f"{title}的摘要", region=region("hangzhou"), source="测试")
    regional_news_index(region("hangzhou"), root).add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def pages():
    notice = news(f"{SECRET}通知")
    restriction = PageViewRestriction.objects.create(
        page=notice, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name=STATION_MANAGERS))
    lesson = make_lesson(f"{SECRET}课程", region=region("hangzhou"))
    PageViewRestriction.objects.create(page=lesson, restriction_type=PageViewRestriction.LOGIN)
    return {
        "notice": notice,
        "lesson": lesson,
        "public_news": news(f"{PUBLIC}通知"),
        "public_lesson": make_lesson(f"{PUBLIC}课程", region=region("hangzhou")),
    }


SURFACES = [
    "/zh-hans/",
    "/zh-hans/news/",
    "/zh-hans/news/hangzhou/",
    "/zh-hans/lessons/",
    "/zh-hans/lessons/shiyong-jishu/",
    "/zh-hans/search/?q={q}",
    "/api/search/?q={q}",
    "/api/v2/pages/?search={q}&locale=zh-hans",
    "/api/v2/pages/?type=lessons.LessonPage&locale=zh-hans&fields=title&limit=50&order=-id",
    "/api/v2/pages/?type=news.NewsPage&locale=zh-hans&fields=title&limit=50&order=-id",
    "/feeds/zh-hans/lessons/rss.xml",
    "/feeds/zh-hans/news/atom.xml",
    "/feeds/zh-hans/regions/hangzhou/rss.xml",
    "/sitemap-lesson.xml",
    "/sitemap-news.xml",
    "/embed/lessons/?region=hangzhou&locale=zh-hans",
]


@pytest.mark.parametrize("surface", SURFACES)
def test_private_pages_stay_off_every_public_surface(client, pages, surface):
    for marker in (SECRET, PUBLIC):
        response = client.get(surface.format(q=marker))
        assert response.status_code == 200, surface
        text = response.content.decode()
        if marker == SECRET:
            for page in (pages["notice"], pages["lesson"]):
                assert page.title not in text and page.url not in text, surface
        elif "sitemap-news" in surface:  # the news' file lists the public news
            assert pages["public_news"].url in text
        elif "q=" in surface or "search=" in surface or "sitemap" in surface:
            # The same query (or the sitemap) does find the public pages.
            assert pages["public_lesson"].url in text or pages["public_lesson"].title in text


def test_the_private_page_itself_asks_for_a_login(client, pages):
    for url in (pages["notice"].url, pages["lesson"].url, pages["lesson"].url + "offline/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
        assert SECRET not in response.content.decode()


def test_a_station_manager_reads_the_notice(client, pages):
    manager = get_user_model().objects.create_user("station", password="Station-pass-1")
    manager.groups.add(Group.objects.get(name=STATION_MANAGERS))
    client.force_login(manager)
    assert SECRET in client.get(pages["notice"].url).content.decode()
    # Being allowed to read it does not put it on public listings.
    assert SECRET not in client.get("/zh-hans/news/").content.decode()
