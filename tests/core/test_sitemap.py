"""The sitemap (pioneer.core.sitemap): an index of section files of at most SITEMAP_LIMIT
pages each, which together list every public page once with its hreflang alternates, at
a cost in queries that does not grow with the site."""

import math
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail_localize.synctree import create_aliases_for_new_page

from pioneer.caching import generation
from pioneer.core import sitemap
from pioneer.core.public import public_pages
from tests.support import sitemap as read_sitemap
from tests.support.factories import make_lesson, make_news, make_policy, make_translation

pytestmark = pytest.mark.django_db

URL = re.compile(r"<url>(.*?)</url>", re.S)
ALTERNATE = re.compile(r'hreflang="([^"]+)" href="([^"]+)"')


@pytest.fixture(autouse=True)
def _no_remembered_file_counts():
    sitemap._file_counts.entries.clear()


@pytest.fixture
def small_files(settings):
    settings.SITEMAP_LIMIT = 2
    return 2


def entries(client):
    """{location: {hreflang: href}} of every <url> of every file, and the locations in the
    order read (to find one listed twice)."""
    found, order = {}, []
    for xml in read_sitemap.read(client).values():
        for block in URL.findall(xml):
            location = re.search(r"<loc>([^<]+)</loc>", block).group(1)
            order.append(location)
            found[location] = dict(ALTERNATE.findall(block))
    return found, order


def public():
    return public_pages(Page, locale=False).filter(depth__gt=1)


def test_the_index_lists_each_section_in_files_of_at_most_the_limit(client, small_files):
    for i in range(5):
        make_lesson(f"索引分页课程{i}")
    make_news("索引分页新闻")
    make_policy("索引分页文件", doc_number="浙索〔2026〕1号")
    listed = read_sitemap.files(client)
    for name in ("lesson", "news", "policy", sitemap.OTHER):
        count = sitemap.section_pages(name).count()
        expected = [f"/sitemap-{name}.xml"]
        expected += [f"/sitemap-{name}.xml?p={n}" for n in range(2, math.ceil(count / 2) + 1)]
        assert [a for a in listed if a.startswith(f"/sitemap-{name}.xml")] == expected, name
    assert len([a for a in listed if a.startswith("/sitemap-lesson.xml")]) >= 3
    # On the public address, with the newest change of each file.
    index = client.get("/sitemap.xml")
    assert index["X-Robots-Tag"].startswith("noindex")
    assert "<loc>http://127.0.0.1:8000/sitemap-lesson.xml?p=2</loc>" in index.content.decode()
    assert index.content.decode().count("<lastmod>") == len(listed)
    for xml in read_sitemap.read(client).values():
        assert len(URL.findall(xml)) <= 2


def test_every_public_page_is_listed_once_and_nothing_else(client, small_files):
    for i in range(3):
        make_lesson(f"全站课程{i}")
    make_lesson("草稿课程", publish=False)
    private = make_lesson("登录可见课程")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    untranslated = make_lesson("未译课程")
    create_aliases_for_new_page(untranslated)
    alias = Page.objects.get(alias_of=untranslated)
    make_news("全站新闻")
    generation.forget()  # the restriction was added without the signals' commit
    found, order = entries(client)
    assert len(order) == len(set(order)), "a page is listed twice"
    # The addresses are Wagtail's own (worked out without get_full_url: compared here).
    assert set(order) == {page.full_url for page in public()}
    assert private.full_url not in found and alias.full_url not in found
    assert not any("草稿课程" in page.title for page in public().filter(url_path__in=order))


def test_hreflang_alternates_name_the_other_language_in_another_file(client, small_files):
    lesson = make_lesson("跨文件译文课程")
    for i in range(4):  # between the Chinese page and its English version: other files
        make_lesson(f"间隔课程{i}")
    english = make_translation(lesson, {lesson.title: "A lesson translated across files"})
    found, _order = entries(client)
    zh, en = lesson.full_url, english.full_url
    files = read_sitemap.read(client)
    in_file = {url: name for name, xml in files.items() for url in re.findall(r"<loc>([^<]+)", xml)}
    assert in_file[zh] != in_file[en]
    assert found[zh] == {"zh-Hans": zh, "en": en}
    assert found[en] == {"zh-Hans": zh, "en": en}
    # A page in one language only has no alternates.
    alone = make_lesson("独语课程")
    found, _order = entries(client)
    assert found[alone.full_url] == {}


def queries(client, address):
    generation.forget()  # as after a publish: the files' table is looked up again
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200, address
    return len(captured)


def test_queries_per_file_do_not_grow_with_the_site(client, settings):
    settings.SITEMAP_LIMIT = 5
    for i in range(5):
        make_lesson(f"计数课程{i}")
    few = {a: queries(client, a) for a in ("/sitemap.xml", "/sitemap-lesson.xml")}
    for i in range(20):
        make_lesson(f"更多计数课程{i}")
    many = {a: queries(client, a) for a in ("/sitemap.xml", "/sitemap-lesson.xml")}
    assert many == few
    assert queries(client, "/sitemap-lesson.xml?p=5") == few["/sitemap-lesson.xml"]
    # The site's per-generation lookups (settings, site, locale, restrictions) included:
    # the pages' target of 12 (bench/sql_queries.py).
    assert few["/sitemap-lesson.xml"] <= 12
    # Within a generation a file costs its pages and their alternates: two queries.
    with CaptureQueriesContext(connection) as captured:
        client.get("/sitemap-lesson.xml?p=4")
    assert len(captured) == 2


def test_a_file_is_rendered_once_a_generation_for_every_worker(client, small_files):
    """Kept in the shared cache (Redis in production): the second worker to be asked for
    a file reads it, and a publish brings the new page in."""
    for i in range(3):
        make_lesson(f"共享文件课程{i}")
    first = client.get("/sitemap-lesson.xml?p=2")
    this_worker = generation._memo
    generation._memo = (None, {})  # as another worker, which has computed nothing yet
    try:
        with CaptureQueriesContext(connection) as captured:
            again = client.get("/sitemap-lesson.xml?p=2")
    finally:
        generation._memo = this_worker
    assert not [q for q in captured if "wagtailcore_page" in q["sql"]]
    assert again.content == first.content and again["Last-Modified"] == first["Last-Modified"]
    new = make_lesson("共享文件新课程")
    assert new.get_full_url() in entries(client)[0]


@pytest.mark.parametrize(
    "address",
    [
        "/sitemap-lesson.xml?p={past}",
        "/sitemap-lesson.xml?p=99999999999999999999",
        "/sitemap-lesson.xml?p=0",
        "/sitemap-lesson.xml?p=-1",
        "/sitemap-lesson.xml?p=abc",
        "/sitemap-lesson.xml?p=1.5",
        "/sitemap-lesson.xml?p=",
        "/sitemap-lesson.xml?p=%EF%BC%92",  # a full-width 2
        "/sitemap-nothing.xml",
        "/sitemap-.xml",
    ],
)
def test_a_file_past_the_end_or_a_malformed_one_is_a_404(client, small_files, address):
    for i in range(3):
        make_lesson(f"越界课程{i}")
    files = len(sitemap.section_files("lesson"))
    assert client.get(f"/sitemap-lesson.xml?p={files}").status_code == 200
    assert client.get(address.format(past=files + 1)).status_code == 404


def test_an_empty_section_has_an_empty_first_file(client):
    # No policy public (on the demo's content too; rolled back with the test).
    Page.objects.filter(pk__in=sitemap.section_pages("policy").values("pk")).update(live=False)
    generation.forget()
    response = client.get("/sitemap-policy.xml")
    assert response.status_code == 200 and "<url>" not in response.content.decode()
    assert "/sitemap-policy.xml" not in read_sitemap.files(client)
    assert client.get("/sitemap-policy.xml?p=2").status_code == 404


def test_a_publish_purges_the_index_and_its_sections_files(small_files):
    lessons = [make_lesson(f"清除课程{i}") for i in range(5)]
    news = make_news("清除新闻")
    for page, name in ((lessons[0], "lesson"), (news, "news")):
        files = math.ceil(sitemap.section_pages(name).count() / 2)
        assert files >= 1 + (name == "lesson") * 2
        assert sitemap.sitemap_paths(page) == [
            "/sitemap.xml",
            f"/sitemap-{name}.xml",
            # One past the last: where the next page may start a file.
            *(f"/sitemap-{name}.xml?p={n}" for n in range(2, files + 2)),
        ]
    index = lessons[0].get_parent()
    assert sitemap.sitemap_paths(index)[:2] == ["/sitemap.xml", "/sitemap-other.xml"]


def test_addresses_are_wagtails_for_every_page_and_both_languages():
    lesson = make_lesson("地址课程")
    make_translation(lesson, {lesson.title: "Address lesson"})
    addresses = sitemap.Addresses()
    pages = list(Page.objects.filter(depth__gt=1))
    assert len(pages) > 20
    for page in pages:
        assert addresses(page.url_path) == page.full_url, page.url_path
    assert addresses("/elsewhere/") is None
    assert Site.objects.count() == 1


def test_robots_names_the_index(client):
    assert (
        "Sitemap: http://127.0.0.1:8000/sitemap.xml" in client.get("/robots.txt").content.decode()
    )


def test_an_expired_version_is_no_alternate(client, small_files):
    lesson = make_lesson("过期译文课程")
    for i in range(3):
        make_lesson(f"过期间隔课程{i}")
    english = make_translation(lesson, {lesson.title: "An expired translation"})
    Page.objects.filter(pk=english.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    generation.forget()
    found, _order = entries(client)
    assert english.full_url not in found
    assert found[lesson.full_url] == {}
