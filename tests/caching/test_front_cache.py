"""The production shape end to end: gunicorn behind nginx with its page cache
(``deploy/local/web``; with ``FULL_STACK=1``, ``deploy/local/stack``: PostgreSQL, Redis,
OpenSearch and the S3 object store too). Anonymous pages come from the cache; an editor
publishing a change in the admin purges the page, its index and its feed, so a learner
sees the change at once; editors and display modes are never served from the cache."""

import json
import os
import sys
import time
from pathlib import Path

import pytest

from tests.support.live_site import fetch, live_site, settled_shell, shell, wait_for_idle_tasks

PASSWORD = "Stack-test-pass-1"
REGION = "region=tonglu"  # a learner who chose a county

# Runs in CI's production-shape pass (FULL_STACK=1), where nginx fronts the whole stack.
pytestmark = [pytest.mark.browser, pytest.mark.fullstack]

SEED = """
import json
import os
from django.contrib.auth import get_user_model
from pioneer.demo.loader import build_site
from pioneer.editorial.role_setup import setup_roles
from tests.support.factories import make_lesson
tree = build_site()
setup_roles(tree["locale"])
lesson = make_lesson("缓存测试课程%s", slug="huancun-ceshi-%s")
get_user_model().objects.create_superuser("stack-admin-%s", "stack@example.org", "%s")
info = {"pk": lesson.pk, "url": lesson.url, "title": lesson.title}
info["index"] = lesson.get_parent().url
print(json.dumps(info))
"""


@pytest.fixture(scope="module")
def stack():
    import secrets

    run_id = secrets.token_hex(4)
    with live_site() as site:
        info = json.loads(settled_shell(site, SEED % (run_id, run_id, run_id, PASSWORD)))
        yield {"base": site["base"], "env": site["env"], "admin": f"stack-admin-{run_id}", **info}


def test_anonymous_pages_are_cached_and_personal_ones_are_not(stack):
    url = stack["base"] + stack["url"]
    fetch(url)
    assert fetch(url)[0] == "HIT"
    assert fetch(url, cookie="mode=elder")[0] == "BYPASS"
    assert fetch(url, cookie="sessionid=abc")[0] == "BYPASS"
    status, _ = fetch(stack["base"] + "/admin/login/")
    assert status is None  # the admin never goes through the cache


def test_publishing_in_the_admin_purges_page_index_and_feed(stack, browser):
    base = stack["base"]
    page_url, index_url = base + stack["url"], base + stack["index"]
    feed_url = base + "/feeds/zh-hans/lessons/rss.xml"
    for url in (page_url, index_url, feed_url):
        fetch(url)
        assert fetch(url)[0] == "HIT", url
    # The page's other copy: the one for learners who chose a region (with the include).
    fetch(page_url, cookie=REGION)
    assert fetch(page_url, cookie=REGION)[0] == "HIT"

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", stack["admin"])
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/admin/")
        page.goto(f"{base}/admin/pages/{stack['pk']}/edit/")
        page.fill("#id_title", stack["title"] + "（已更新）")
        page.wait_for_timeout(1500)  # a person's pause; lets the admin's autosave settle
        page.wait_for_load_state("networkidle")
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
        page.locator("button[name=action-publish]").click()
        page.wait_for_load_state("networkidle")
        # The editor, logged in, sees the new page straight from the site.
        page.goto(page_url)
        assert stack["title"] + "（已更新）" in page.content()
    except Exception:
        page.screenshot(path="/tmp/front-cache-failure.png", full_page=True)
        raise
    finally:
        context.close()

    # A learner, anonymous, sees it within seconds on the page, the index and the feed
    # (at once in the embedded setup; through the task worker in the full stack), whether
    # or not they chose a region.
    for url, cookie in ((page_url, None), (index_url, None), (feed_url, None), (page_url, REGION)):
        deadline = time.monotonic() + 15
        while True:
            status, body = fetch(url, cookie=cookie)
            if stack["title"] + "（已更新）" in body or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert stack["title"] + "（已更新）" in body, (url, cookie, status)


def _headers(url, cookie=None):
    import urllib.request

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers, response.read().decode()


def test_only_learners_who_chose_a_region_get_pages_through_the_include(stack):
    """The SSI filter costs most of a cached answer's rate: a page for a learner with no
    region chosen is sent from the cache as it is (its ETag kept: nothing filtered it),
    one for a learner who chose a region is filled with that region's notices (the
    filter drops the ETag), each its own copy."""
    url = stack["base"] + stack["url"]
    fetch(url)
    plain, body = _headers(url)
    assert plain["X-Cache-Status"] == "HIT" and plain["ETag"]
    assert "<!--#" not in body
    fetch(url, cookie=REGION)
    regional, body = _headers(url, cookie=REGION)
    assert regional["X-Cache-Status"] == "HIT" and regional["ETag"] is None
    assert "<!--#" not in body  # filled in by nginx


def test_a_repeated_region_cookie_never_puts_a_region_page_in_everyones_copy(stack):
    """nginx reads a repeated cookie's first value and Django its last: the site renders
    for the region nginx keys the copy by (its X-Pioneer-Region), so a county's home page
    is never kept as the province's."""
    home = stack["base"] + "/zh-hans/"
    for cookie in ("region=NOT-a-slug!; region=tonglu", "region=-; region=tonglu"):
        fetch(home, cookie=cookie)
        status, body = fetch(home, cookie=cookie)
        assert "本地内容" not in body, (cookie, status)
    status, body = fetch(home)
    assert status in ("HIT", "REVALIDATED") and "本地内容" not in body


SEED_SEARCHABLE = """
import json
import os
from tests.support.factories import make_lesson
lesson = make_lesson("检索缓存课程 %s", slug="检索缓存-%s", summary="缓存检索的摘要")
print(json.dumps({"pk": lesson.pk, "url": lesson.url, "title": lesson.title}))
"""

RENAME = """
from lessons.models import LessonPage
page = LessonPage.objects.get(pk=%d)
page.title = %r
page.save_revision().publish()
print("ok")
"""


def raw_get(base, target):
    """A GET with ``target`` sent byte for byte (as some clients send raw UTF-8), and its
    cache status."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(
            b"GET "
            + target
            + b" HTTP/1.1\r\nHost: "
            + parts.netloc.encode()
            + b"\r\nConnection: close\r\n\r\n"
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(65536)
            if not chunk:
                break
            head += chunk
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"x-cache-status:"):
            return line.split(b":", 1)[1].strip().decode()
    return None


def test_search_and_api_answers_are_cached_and_purged_on_publish(stack):
    """nginx keeps search results and API answers (each under the address the browser
    sent) and a publish purges them all, with the page itself at its Chinese address."""
    import secrets
    from urllib.parse import quote

    run_id = secrets.token_hex(4)
    lesson = json.loads(settled_shell(stack, SEED_SEARCHABLE % (run_id, run_id)))
    base = stack["base"]
    search_url = f"{base}/zh-hans/search/?q={quote(run_id)}"
    api_url = f"{base}/api/v2/pages/{lesson['pk']}/"
    page_url = base + lesson["url"]  # Wagtail percent-encodes the Chinese slug
    for url in (search_url, api_url, page_url):
        # With an engine, the lesson is searchable once the worker has indexed it, and the
        # answer nginx kept before that is purged then (search.backends).
        assert lesson["title"] in wait_for(url, lesson["title"], present=True), url
        assert fetch(url)[0] == "HIT", url

    # An address in raw UTF-8 cannot be purged by name: nginx never keeps its answer.
    raw = f"/zh-hans/search/?q={run_id}+缓存检索".encode()
    raw_get(base, raw)
    assert raw_get(base, raw) == "MISS"

    renamed = f"改名后的检索缓存课程 {run_id}"
    shell(stack, RENAME % (lesson["pk"], renamed))
    for url in (search_url, api_url, page_url):
        assert renamed in wait_for(url, renamed, present=True), url


def test_an_expired_answer_is_served_while_it_is_refreshed(stack):
    """A noted answer past its freshness is served at once while nginx fetches the next
    one in the background (the site's ``stale-while-revalidate``, which clients never see:
    their browsers keep to the site's own Cache-Control)."""
    import random
    import urllib.request

    # An offset past every page: an empty list nobody else asks for. The API's answers
    # are fresh for 60 s.
    url = f"{stack['base']}/api/v2/pages/?offset={random.randrange(10**5, 10**6)}"

    def ask():
        with urllib.request.urlopen(url, timeout=30) as response:
            headers = response.headers
            return headers["X-Cache-Status"], headers.get_all("Cache-Control")

    # Every purge also purges the noted answers: the tasks earlier tests queued (indexing,
    # purges; on the full stack they run in the worker) must be done first.
    assert wait_for_idle_tasks(stack) == "0", "background tasks still queued"
    assert ask() == ("MISS", ["public, max-age=60"])
    assert ask() == ("HIT", ["public, max-age=60"])
    time.sleep(62)
    assert ask() == ("STALE", ["public, max-age=60"]), shell(stack, TASKS_SINCE % 70)
    deadline = time.monotonic() + 10
    while (status := ask()[0]) != "HIT" and time.monotonic() < deadline:
        time.sleep(0.2)  # the refresh runs after the stale answer is sent
    assert status == "HIT"


def test_a_cached_feed_allows_partner_pages(stack):
    """A feed cached from a reader's request (no ``Origin``) still carries the header a
    partner's page needs to read it."""
    import urllib.request

    url = stack["base"] + "/feeds/zh-hans/news/rss.xml"
    fetch(url)
    request = urllib.request.Request(url, headers={"Origin": "https://partner.example"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["X-Cache-Status"] == "HIT"
        assert response.headers["Access-Control-Allow-Origin"] == "*"


RESTRICT = """
from wagtail.models import Page, PageViewRestriction
page = Page.objects.get(pk=%d)
if %r:
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
else:
    PageViewRestriction.objects.filter(page=page).delete()
print("ok")
"""


TASKS_SINCE = """
import datetime
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
since = timezone.now() - datetime.timedelta(seconds=%d)
print(list(DBTaskResult.objects.filter(enqueued_at__gte=since).values_list("task_path", flat=True)))
"""


def wait_for(url, wanted, present, seconds=15):
    deadline = time.monotonic() + seconds
    while True:
        _status, body = fetch(url)
        if (wanted in body) == present or time.monotonic() > deadline:
            return body
        time.sleep(0.5)


def test_making_a_page_private_purges_its_cached_copies(stack):
    """Privacy set on a cached page reaches learners at once, and so does lifting it."""
    import secrets

    run_id = secrets.token_hex(4)
    made = settled_shell(stack, SEED_LESSON % (run_id, run_id))
    lesson = json.loads(made)
    page_url, index_url = stack["base"] + lesson["url"], stack["base"] + lesson["index"]
    for url in (page_url, index_url):
        fetch(url)
        assert fetch(url)[0] == "HIT", url

    shell(stack, RESTRICT % (lesson["pk"], True))
    for url in (page_url, index_url):
        assert lesson["title"] not in wait_for(url, lesson["title"], present=False), url

    shell(stack, RESTRICT % (lesson["pk"], False))
    for url in (page_url, index_url):
        assert lesson["title"] in wait_for(url, lesson["title"], present=True), url


SEED_LESSON = """
import json
import os
from tests.support.factories import make_lesson
lesson = make_lesson("隐私缓存测试课%s", slug="yinsi-huancun-%s")
print(json.dumps({"pk": lesson.pk, "url": lesson.url, "index": lesson.get_parent().url,
                  "title": lesson.title}))
"""


SEED_HIDDEN = """
import datetime, json
from lessons.models import LessonIndexPage, LessonSeriesPage, SeriesMember
from pioneer.models import Region
from tests.support.factories import make_lesson
region = Region.objects.filter(locale__language_code="zh-hans", level="county").first()
index = LessonIndexPage.objects.filter(locale__language_code="zh-hans", function="skills").first()
series = index.add_child(instance=LessonSeriesPage(title="可见性专题RUN", summary="专题"))
series.save_revision().publish()
out = {"region": region.slug, "series": series.url}
for kind in ("restricted", "unpublished"):
    lesson = make_lesson(f"可见性缓存{kind}RUN", slug=f"kejianxing-{kind}-RUN", region=region,
                         date=datetime.date(2099, 1, 1))
    SeriesMember.objects.create(series=series, lesson=lesson, sort_order=1000 + lesson.pk)
    out[kind] = {"pk": lesson.pk, "url": lesson.url, "index": lesson.get_parent().url,
                 "title": lesson.title}
print(json.dumps(out))
"""

HIDE = """
from wagtail.models import Page, PageViewRestriction
restricted = Page.objects.get(pk=%d)
PageViewRestriction.objects.create(
    page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="secret-word"
)
Page.objects.get(pk=%d).specific.unpublish()
print("ok")
"""


def read(url):
    """(cache status, text) of an anonymous GET without following redirects; an offline
    pack's members are read as text."""
    import io
    import urllib.error
    import zipfile

    from tests.support.live_site import _anonymous

    try:
        response = _anonymous.open(url, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        status, body = response.headers.get("X-Cache-Status"), response.read()
    if body.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(body))
        body = b"".join(archive.read(name) for name in archive.namelist())
    return status, body.decode(errors="replace")


def test_hiding_a_page_removes_every_cached_copy_that_shows_it(stack):
    """A password set on a lesson, or an unpublish, reaches every copy nginx keeps: the
    page under any query string, its offline pack, its series and the series' pack, the
    widget and a listing filtered by its region, a feed under a query string."""
    import secrets

    run_id = secrets.token_hex(4)
    made = json.loads(settled_shell(stack, SEED_HIDDEN.replace("RUN", run_id)))
    base, region = stack["base"], made["region"]
    shared = [
        f"/embed/lessons/?region={region}&limit=20",
        "/feeds/zh-hans/lessons/rss.xml?utm_source=probe",
        made["series"],
        made["series"] + "offline/",
    ]
    surfaces = {}
    for kind in ("restricted", "unpublished"):
        lesson = made[kind]
        own = [
            lesson["url"],
            lesson["url"] + "?utm_source=probe",
            lesson["url"] + "offline/",
            lesson["index"] + f"?region={region}",
        ]
        surfaces[kind] = (lesson["title"], [base + path for path in own + shared])
    for title, urls in surfaces.values():
        for url in urls:
            read(url)
            status, text = read(url)
            assert status == "HIT" and title in text, (url, status)

    shell(stack, HIDE % (made["restricted"]["pk"], made["unpublished"]["pk"]))
    for title, urls in surfaces.values():
        for url in urls:
            deadline = time.monotonic() + 15
            while title in (text := read(url)[1]) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert title not in text, url


def test_nginx_refuses_import_uploads(stack):
    """Whatever lies under MEDIA_ROOT/imports/ (an older release's uploads, a mistake),
    nginx never serves it, while the rest of the folder is served as before."""
    import secrets
    import urllib.error
    import urllib.request

    from tests.support.live_site import ROOT

    # The web server's MEDIA_ROOT: the stack's own, else the one the tests' environment
    # gives every process they start (tests/conftest.py), else the checkout's.
    media = Path(stack["env"].get("MEDIA_ROOT") or os.environ.get("MEDIA_ROOT") or ROOT / "media")
    name = f"probe-{secrets.token_hex(4)}.csv"
    upload, control = media / "imports" / name, media / name
    upload.parent.mkdir(parents=True, exist_ok=True)
    try:
        for path in (upload, control):
            path.write_text("id,type,title\nP-1,lesson,内部草稿\n", encoding="utf-8")
        with urllib.request.urlopen(f"{stack['base']}/media/{name}", timeout=30) as response:
            assert response.status == 200  # nginx serves this folder…
        for path in (f"/media/imports/{name}", "/media/imports/", "/media//imports/" + name):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(stack["base"] + path, timeout=30)
            assert refused.value.code in (403, 404), path  # …but not its imports
    finally:
        upload.unlink(missing_ok=True)
        control.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
