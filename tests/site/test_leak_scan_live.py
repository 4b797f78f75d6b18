"""The leak scan through gunicorn and nginx's page cache (``tests/support/live_site.py``).

The probes of ``tests/support/leak_probes.py`` are added in the live site's admin; a crawl of
every public surface through nginx, anonymous, finds none of their markers and leaves the
cache warm. An editor then publishes the draft lesson in the admin over HTTP: within the
purge delay its marker shows on every surface nginx purges or never caches (the page, its
indexes, the home page, the feeds, search and the API), and a second crawl, from the warm
cache, still finds none of the other markers.
"""

import datetime
import json
import os
import time

import pytest

from tests.support.crawler import Crawler
from tests.support.leak_probes import Probe, leaks
from tests.support.live_site import AdminSession, fetch, get, live_site, shell

# The site runs on a SQLite database of its own, whatever the suite's DATABASE_URL: once is
# enough when CI runs the suite on SQLite and again on PostgreSQL.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres")
        and os.environ.get("FULL_STACK") != "1",
        reason="the live site has its own SQLite database; the SQLite pass runs this",
    ),
]

PASSWORD = "Leak-test-pass-1"
PURGE_DELAY = 15  # seconds: the purge is sent when the publish commits

SEED = """
import dataclasses, json, secrets
from django.contrib.auth import get_user_model
from pioneer.demo.loader import build_site
from pioneer.editorial.role_setup import setup_roles
from tests.support import leak_probes
from tests.support.factories import make_lesson
tree = build_site()
setup_roles(tree["locale"])
make_lesson("公开的对照课程", region=leak_probes.region(leak_probes.REGION))
get_user_model().objects.create_superuser("leak-admin", "leak@example.org", "%s")
probes = leak_probes.make_probes("leak-admin", secrets.token_hex(3))
print(json.dumps({
    "probes": [dict(dataclasses.asdict(p), date=p.date.isoformat()) for p in probes],
    "seeds": leak_probes.seeds(probes),
    "explore": leak_probes.explore(probes),
    "expected": {p.token: leak_probes.expected_surfaces(p) for p in probes},
}))
"""

FORM = """
import datetime, json
from wagtail.models import Page
from tests.support import leak_probes
data = json.loads(%r)
probe = leak_probes.Probe(**dict(data, date=datetime.date.fromisoformat(data["date"])))
page = Page.objects.get(pk=probe.pk).specific.get_latest_revision_as_object()
print(json.dumps(leak_probes.form_for(probe, page, "action-publish")))
"""

# Shown by the page, its indexes, the home page and feeds (purged on publishing), or by
# surfaces nginx never caches. The sitemap, the widget and filtered index pages are cached
# and not purged: they follow within the cache's lifetime (45 seconds for pages).
NOT_PURGED = ("/sitemap", "/embed/", "?region=")


def _crawl(site, seeds, explore):
    crawler = Crawler(get, site["base"], aliases=["http://localhost"], explore=explore)
    crawler.crawl(seeds)
    failed = [(url, f.status) for url, f in crawler.pages.items() if f.status >= 500]
    assert not failed, failed
    return crawler


@pytest.fixture(scope="module")
def site():
    with live_site({"RATE_LIMIT_API": "", "RATE_LIMIT_SEARCH": ""}) as running:
        seeded = json.loads(shell(running, SEED % PASSWORD))
        probes = []
        for data in seeded["probes"]:
            probes.append(Probe(**dict(data, date=datetime.date.fromisoformat(data["date"]))))
        yield {**running, **seeded, "probes": probes}


def test_cached_surfaces_show_a_published_page_at_once_and_nothing_hidden(site):
    probes, base = site["probes"], site["base"]
    crawler = _crawl(site, site["seeds"], site["explore"])
    assert len(crawler.pages) > 150
    assert not leaks(crawler, probes)
    assert fetch(base + "/zh-hans/")[0] == "HIT"  # the crawl left the cache warm

    draft = next(p for p in probes if (p.kind, p.state) == ("lesson", "draft"))
    raw = json.dumps(dict(draft.__dict__, date=draft.date.isoformat()))
    form = json.loads(shell(site, FORM % raw))
    AdminSession(base, "leak-admin", PASSWORD).post(f"/admin/pages/{draft.pk}/edit/", form)

    surfaces = [s for s in site["expected"][draft.token] if not any(n in s for n in NOT_PURGED)]
    assert len(surfaces) >= 12
    reader, late = Crawler(get, base), {}
    for surface in surfaces:
        deadline = time.monotonic() + PURGE_DELAY
        while True:
            fetched = reader.read(surface)
            if draft.token in fetched.text.lower() or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        if draft.token not in fetched.text.lower():
            # Which side is late: nginx's copy (X-Cache-Status) or the site's own answer
            # (a personal cookie makes nginx pass the request on and keep nothing).
            status, _text = fetch(base + surface)
            _bypass, own = fetch(base + surface, cookie="csrftoken=leak-scan")
            late[surface] = (
                fetched.status,
                status,
                "site has it" if draft.token in own.lower() else "site lacks it",
            )
    assert not late, late

    hidden = [p for p in probes if p is not draft]
    assert not leaks(_crawl(site, site["seeds"], site["explore"]), hidden)
