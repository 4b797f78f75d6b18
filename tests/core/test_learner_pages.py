"""What a learner reads around the content: the home page's title, the English header and
footer, and the search page's year filter, which offers the years that have content."""

import datetime
import re

import pytest
from django.utils import translation

from lessons.models import LessonPage
from news.models import NewsPage, PolicyPage
from pioneer.core.public import public_pages
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.mark.demo
def test_home_page_title_is_not_the_site_name_twice(client):
    for language in ("zh-hans", "en"):
        page = client.get(f"/{language}/").content.decode()
        title = re.search(r"<title>([^<]+)</title>", page)[1]
        parts = title.split(" - ")
        assert len(parts) == len(set(parts)), title


@pytest.mark.demo
def test_english_navigation_and_footer_are_english(client):
    page = client.get("/en/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', page, re.S)[0]
    assert ">Lessons</a>" in nav and "Courses" not in nav
    footer = re.search(r'<footer class="site-footer">.*?</footer>', page, re.S)[0]
    footer = re.sub(r"<p>[^<]*ICP[^<]*</p>", "", footer)  # the ICP number is Chinese by law
    text = re.sub(r"<[^>]+>", " ", footer)
    assert not HAN.search(text), text


def _offered_years(client, language="zh-hans"):
    page = client.get(f"/{language}/search/", {"q": "水稻"}).content.decode()
    return [int(year) for year in re.findall(r'href="\?q=[^"]*year=(\d{4})"', page)]


def test_search_offers_the_years_that_have_content_newest_first(client):
    with translation.override("zh-hans"):
        expected = set()
        for model, field in ((LessonPage, "date"), (NewsPage, "date"), (PolicyPage, "issue_date")):
            expected |= {d.year for d in public_pages(model).dates(field, "year")}
    offered = _offered_years(client)
    assert offered == sorted(expected, reverse=True)

    make_lesson("二〇三一年的课", date=datetime.date(2031, 3, 1))
    assert _offered_years(client)[0] == 2031  # a publication moves the years at once
