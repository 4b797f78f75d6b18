"""One public address: with ``SITE_URL`` set and ``setup_site`` run, every absolute URL the
site gives out (pages, API v2, /api/search/, sitemap, feeds, hreflang, the widget, offline
packs) names that scheme and host, and ``manage.py check`` warns when the Site disagrees."""

import datetime
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import Client
from wagtail.models import Site

from lessons.models import LessonPage
from tests.support.crawler import Crawler, filter_depth
from tests.support.factories import make_image, make_media_lesson

ORIGIN = "https://www.example.gov.cn"
HOST = "www.example.gov.cn"
ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.\-\[\]:]+(?:/[^\s"'<>\\)]*)?""")
# Paths only this site serves: a URL naming one of them on another host is a wrong link.
OWN_PATHS = ("/zh-hans/", "/en/", "/api/", "/feeds/", "/embed/", "/documents/", "/media/")
OWN_PATHS += ("/static/", "/sitemap", "/admin/")
NEVER = {"localhost", "127.0.0.1", "testserver", "[::1]", "::1"}


class AddressCrawler(Crawler):
    """Reads the public pages (no filter combinations) and notes every absolute URL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls = {}  # absolute URL -> where it was first found
        self.naming_origin = set()  # pages that named the origin in a full URL

    def _follows(self, link, source):
        return super()._follows(link, source) and filter_depth(link) == 0

    def fetch(self, url):
        fetched, links = super().fetch(url)
        for found in [*links, *URL.findall(fetched.text)]:
            if found.startswith(("http://", "https://", "//")):
                self.urls.setdefault(found, url)
                if found.startswith(ORIGIN + "/"):
                    self.naming_origin.add(url.split("?")[0])
        return fetched, links


@pytest.fixture(autouse=True)
def _forget_site_root_paths():
    """Wagtail caches the Site's address; a rolled-back change sends no signal to clear it."""
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def production_site(db, settings):
    settings.SITE_URL = ORIGIN
    settings.WAGTAILAPI_BASE_URL = ORIGIN
    settings.WAGTAILADMIN_BASE_URL = ORIGIN
    settings.ALLOWED_HOSTS = [HOST]
    settings.RATE_LIMIT_API = settings.RATE_LIMIT_SEARCH = ""  # the crawl is one client
    call_command("setup_site", stdout=io.StringIO())
    return Client(HTTP_HOST=HOST, SERVER_PORT="443", **{"wsgi.url_scheme": "https"})


@pytest.mark.demo
def test_every_surface_names_the_configured_origin(production_site):
    client = production_site

    def get(url):
        response = client.get(url, secure=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return (
            response.status_code,
            response.get("Content-Type", ""),
            body,
            response.get("Location"),
        )

    lesson = LessonPage.objects.live().filter(locale__language_code="zh-hans").first()
    seeds = ["/", "/zh-hans/", "/en/", "/sitemap.xml", "/zh-hans/partners/", "/zh-hans/embed/"]
    seeds += [
        f"/feeds/zh-hans/{kind}/{fmt}"
        for kind in ("lessons", "news", "policies")
        for fmt in ("rss.xml", "atom.xml")
    ]
    seeds += ["/feeds/zh-hans/regions/zhejiang/rss.xml", "/feeds/en/lessons/atom.xml"]
    seeds += ["/api/v2/pages/?limit=50", "/api/v2/pages/?locale=en&limit=50"]
    seeds += ["/api/v2/images/", "/api/v2/documents/", "/api/search/?" + urlencode({"q": "党史"})]
    seeds += ["/api/search/suggest/?q=dangshi", "/embed/lessons/?limit=20", lesson.url + "offline/"]
    crawler = AddressCrawler(get, ORIGIN, budget=4000)
    crawler.crawl(seeds)
    search = json.loads(crawler.pages[ORIGIN + seeds[-4]].text)
    assert search["results"], "the search found nothing, so it named no URL"

    read = {urlsplit(url).path for url, f in crawler.pages.items() if f.status == 200}
    assert {"/sitemap.xml", "/embed/lessons/", "/api/search/", lesson.url + "offline/"} <= read
    assert len(read) > 200, "the crawl read too little to prove anything"
    wrong = {}
    for url, where in crawler.urls.items():
        parts = urlsplit(url if "://" in url else "https:" + url)
        own_path = parts.path.startswith(OWN_PATHS)
        if parts.hostname in NEVER or (own_path and parts.netloc != HOST):
            wrong[url] = where
        elif parts.netloc == HOST and parts.scheme != "https":
            wrong[url] = where
    assert not wrong, dict(list(wrong.items())[:20])
    # The sitemap, API v2, search and the widget all named the origin (not just no host).
    named = crawler.naming_origin
    for surface in ("/sitemap.xml", "/api/search/", "/embed/lessons/"):
        assert ORIGIN + surface in named, surface
    assert any(path.startswith(ORIGIN + "/api/v2/pages/") for path in named)
    assert any(path.startswith(ORIGIN + "/feeds/") for path in named)


@pytest.mark.django_db
def test_check_warns_when_the_site_is_not_the_configured_origin(settings):
    settings.SITE_URL = ORIGIN
    site = Site.objects.get(is_default_site=True)
    Site.objects.filter(pk=site.pk).update(hostname="localhost", port=80)
    warnings = [message.id for message in run_checks()]
    assert "pioneer.W001" in warnings
    call_command("setup_site", stdout=io.StringIO())
    assert "pioneer.W001" not in [message.id for message in run_checks()]


def test_mails_and_api_default_to_site_url():
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.SITE_URL, s.WAGTAILADMIN_BASE_URL, s.WAGTAILAPI_BASE_URL]))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"WAGTAILADMIN_BASE_URL", "SECRET_KEY", "DEBUG"}
    }
    env["SITE_URL"] = ORIGIN + "/"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [ORIGIN] * 3, result.stderr


def test_links_name_the_configured_origin_whatever_host_was_asked(production_site, settings):
    """A request may arrive by another allowed name (``localhost`` on the server, an internal
    address): the links partners copy (the widget's snippet, the partners page's examples,
    feed enclosures and guids, hreflang, og:image, robots.txt's sitemap) still name
    ``SITE_URL``."""
    settings.ALLOWED_HOSTS = [HOST, "localhost"]
    client = Client(HTTP_HOST="localhost")
    # A skills lesson with a cover (og:image) and media (feed enclosures), newest of all so
    # the feeds and the widget carry it.
    lesson = make_media_lesson(
        "地址测试课程",
        audio=True,
        cover=make_image("地址测试封面"),
        date=datetime.date(2026, 12, 1),
    )
    paths = ["/zh-hans/", "/zh-hans/partners/", "/zh-hans/embed/?function=skills&limit=3"]
    paths += ["/robots.txt", "/feeds/zh-hans/lessons/rss.xml", "/feeds/zh-hans/lessons/atom.xml"]
    paths += [lesson.url]
    wrong = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        urls = URL.findall(response.content.decode())
        assert any(url.startswith(ORIGIN + "/") for url in urls), path
        bad = [url for url in urls if urlsplit(url).hostname == "localhost"]
        if bad:
            wrong[path] = bad[:5]
    assert not wrong, wrong
