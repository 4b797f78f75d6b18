"""No draft, scheduled, expired, private or unpublished page shows on any public surface.

Probes (``tests/support/leak_probes.py``) are added in the admin with a unique marker each; a
crawl from the home pages, the sitemap, the feeds and the searches for every marker
(``tests/support/crawler.py``) reads every public response, offline packs included, and finds
no marker in any body or URL. Then one probe of each kind is published the ways an
editor does it (publish a draft, a schedule coming due, privacy lifted) and shows on
every surface where a published page of its kind belongs, while the others stay hidden.
The same scan through nginx's page cache is in ``test_leak_scan_live.py``.
"""

import secrets
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from wagtail.models import Page, Site

from tests.support import leak_probes
from tests.support.crawler import Crawler

pytestmark = [pytest.mark.django_db, pytest.mark.demo]
ORIGIN = "http://testserver"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def client_get(client):
    def get(url):
        response = client.get(url)
        location = response.get("Location")
        return response.status_code, response.get("Content-Type", ""), body(response), location

    return get


def crawl(probes):
    aliases = [Site.objects.get(is_default_site=True).root_url, settings.WAGTAILAPI_BASE_URL]
    crawler = Crawler(
        client_get(Client()), ORIGIN, aliases=aliases, explore=leak_probes.explore(probes)
    )
    crawler.crawl(leak_probes.seeds(probes))
    failed = [(url, f.status) for url, f in crawler.pages.items() if f.status >= 500]
    assert not failed, failed
    return crawler


def assert_covers_every_surface(crawler):
    """A crawl that reached nothing would prove nothing: it must have read every public
    page in both languages, every offline pack, and each kind of partner surface."""
    from lessons.models import LessonPage, LessonSeriesPage
    from pioneer.core.public import public_pages

    read = {urlsplit(url).path for url, f in crawler.pages.items() if f.status == 200}
    pages = public_pages(Page, locale=False).filter(depth__gt=1)
    wanted = {page.url for page in pages}
    wanted |= {page.url + "offline/" for page in public_pages(LessonPage, locale=False)}
    wanted |= {page.url + "offline/" for page in public_pages(LessonSeriesPage, locale=False)}
    wanted |= {f"/api/v2/pages/{pk}/" for pk in pages.values_list("pk", flat=True)}
    wanted |= {"/sitemap.xml", "/embed/lessons/", "/api/search/", "/api/search/suggest/"}
    wanted |= {"/zh-hans/partners/", "/en/partners/", "/api/v2/images/", "/api/v2/documents/"}
    assert len(wanted) > 300
    missing = sorted(wanted - read)
    assert not missing, missing
    filtered = [url for url in crawler.pages if "?" in url and "/search/" not in url]
    assert len(filtered) > 200, "index filter links were not followed"


@pytest.fixture
def probes(admin_user, settings):
    settings.RATE_LIMIT_API = settings.RATE_LIMIT_SEARCH = ""  # the crawl is one client
    return leak_probes.make_probes(admin_user.username, secrets.token_hex(3))


def fetch_text(client, url):
    response = client.get(url, follow=True)
    return response.status_code, body(response).decode(errors="replace")


def test_no_hidden_page_leaks_and_a_published_one_shows_everywhere(probes, admin_user):
    states = {(p.kind, p.state): Page.objects.get(pk=p.pk) for p in probes}
    assert len(states) == len(leak_probes.KINDS) * len(leak_probes.STATES)
    for (_kind, state), page in states.items():
        assert page.live == (state in ("expired_pending", "password", "login", "groups")), state
        assert page.get_view_restrictions().exists() == (state in ("password", "login", "groups"))

    crawler = crawl(probes)
    assert_covers_every_surface(crawler)
    assert not leak_probes.leaks(crawler, probes)

    # Opening a probe's own address (or its English alias, or its offline pack) directly
    # gives nothing away either: a 404, a login or a password form.
    direct = Client()
    for probe in probes:
        page = Page.objects.get(pk=probe.pk)
        urls = [probe.url, f"/api/v2/pages/{probe.pk}/"]
        urls += [alias.url for alias in Page.objects.filter(alias_of=page) if alias.url]
        if probe.kind == "lesson":
            urls.append(probe.url + "offline/")
        for url in urls:
            status, text = fetch_text(direct, url)
            assert status in (200, 404), (url, status)
            for secret in (probe.title, probe.summary, "正文里的探针"):
                assert secret not in text, (probe.state, url, secret)

    # Publish one of each kind the ways editors do; each then shows wherever its kind
    # belongs, and those surfaces still show none of the others.
    chosen = {
        ("lesson", "draft"): "published in the admin",
        ("news", "scheduled"): "its schedule came due",
        ("policy", "password"): "privacy lifted in the admin",
    }
    published = [p for p in probes if (p.kind, p.state) in chosen]
    hidden = [p for p in probes if p not in published]
    admin = Client()
    admin.force_login(admin_user)
    for probe in published:
        if probe.state == "scheduled":
            leak_probes.let_go_live([probe])
        else:
            leak_probes.publish_in_admin(admin, probe)
    reader = Crawler(client_get(Client()), ORIGIN)
    for probe in published:
        how = chosen[(probe.kind, probe.state)]
        for path in leak_probes.expected_surfaces(probe):
            fetched = reader.read(path)
            assert fetched.status == 200, (how, path)
            assert probe.token in fetched.text.lower(), (how, path)
    assert not leak_probes.leaks(reader, hidden)
