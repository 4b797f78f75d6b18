"""The search log on the production shape, in Debian's Chromium: gunicorn behind nginx and
its cache (``deploy/local/web``). A search page nginx serves from its cache still counts
once per browser that shows it, Back and a reload of that copy count nothing more, and
following a result goes straight to the page while its ping counts the open."""

import json
import time
from urllib.parse import quote

import pytest

from tests.support.live_site import fetch, live_site, shell

pytestmark = pytest.mark.browser

QUERY = "芋艿"
SEED = """
import json
from pioneer.demo.loader import build_site
from tests.support.factories import make_lesson
build_site()
lesson = make_lesson("芋艿种植测试课", slug="yuai-zhongzhi-ceshi")
print(json.dumps({"url": lesson.url, "title": lesson.title}))
"""
COUNTS = """
import json
from search.models import SearchQueryDay
row = SearchQueryDay.objects.filter(query=%r).values("searches", "opens").first()
print(json.dumps(row or {"searches": 0, "opens": 0}))
"""


@pytest.fixture(scope="module")
def site():
    with live_site() as live:
        yield {**live, **json.loads(shell(live, SEED))}


def _counts(site):
    return json.loads(shell(site, COUNTS % QUERY))


def _wait_for(site, wanted, seconds=15):
    """The log's counts once they reach ``wanted`` (pings and images arrive after the
    page), or as they are when the time is up."""
    deadline = time.monotonic() + seconds
    counts = _counts(site)
    while counts != wanted and time.monotonic() < deadline:
        time.sleep(0.5)
        counts = _counts(site)
    return counts


def test_searches_and_opens_are_counted_through_nginx(site, browser):
    search_url = f"{site['base']}/zh-hans/search/?q={quote(QUERY)}"
    lesson_url = site["base"] + site["url"]

    first = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = first.new_page()
    page.goto(search_url)
    assert page.get_by_role("link", name=site["title"]).count() == 1
    assert _wait_for(site, {"searches": 1, "opens": 0}) == {"searches": 1, "opens": 0}

    # Another learner gets nginx's copy: the site renders nothing, the image still counts.
    assert fetch(search_url)[0] == "HIT"
    second = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    other = second.new_page()
    other.goto(search_url)
    assert _wait_for(site, {"searches": 2, "opens": 0}) == {"searches": 2, "opens": 0}

    # A reload of that copy, and coming Back to it, count nothing more.
    other.reload()
    link = other.get_by_role("link", name=site["title"])
    assert link.get_attribute("href") == site["url"]  # straight to the page
    link.click()
    other.wait_for_url(lesson_url)
    assert other.locator("h1").inner_text() == site["title"]
    assert _wait_for(site, {"searches": 2, "opens": 1}) == {"searches": 2, "opens": 1}
    other.go_back()
    other.wait_for_load_state()
    assert other.get_by_role("link", name=site["title"]).count() == 1
    time.sleep(2)  # time for an image fetched again to have been counted
    assert _counts(site) == {"searches": 2, "opens": 1}
    first.close()
    second.close()
