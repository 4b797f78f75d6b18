"""SQL queries per request for every public page type, at 100 and at 10,000 lessons.

Run: .venv/bin/python bench/sql_queries.py [--sizes 100,10000] [--database-url postgres://…]

A throw-away demo site is filled up to each size with generated lessons imported by
``import_content`` (the bulk path editors use), then each page type is requested through
Django's test client and its queries counted three ways:

- *after a change*: the first request after a publish anywhere, when the process also
  looks up again what it keeps per content generation (site, locales, settings, menu,
  view restrictions: once per process and change, not per request);
- *first view*: a page nobody has opened since that change, rendered in full (its
  fragments are not cached yet): what the page itself costs, the figure the target is on;
- *repeat*: the same page again, its fragments from the cache.

Target (issue 11): at most 12 for any public page on a first view, the same count at
10,000 lessons as at 100. ``tests/site/test_query_counts.py`` asserts this on a smaller site.
"""

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import add_database_argument, demo_site  # noqa: E402

LIMIT = 12


def page_urls():
    """(page type, URL) of one page of every public type, read from the site."""
    from wagtail.models import Locale

    from home.models import HomePage
    from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
    from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
    from pioneer.core.public import public_pages

    zh = Locale.objects.get(language_code="zh-hans")

    def first(model, **filters):
        return public_pages(model, locale=zh).filter(**filters).order_by("pk").first()

    # The richest lesson: in a series, with tags, media and downloads.
    lesson = max(
        public_pages(LessonPage, locale=zh)
        .exclude(source_id__startswith="G-")
        .exclude(series_memberships=None),
        key=lambda page: len(page.body.raw_data),
    )
    imported = first(LessonPage, source_id__startswith="G-")
    english_home = public_pages(HomePage, locale=False).filter(locale__language_code="en").first()
    urls = [
        ("home", first(HomePage).url),
        ("home (English)", english_home.url if english_home else "/en/"),
        ("lesson index", first(LessonIndexPage, function="").url),
        ("function index", first(LessonIndexPage, function="skills").url),
        ("lesson index p.2", first(LessonIndexPage, function="").url + "?page=2"),
        ("lesson", lesson.url),
        ("series", first(LessonSeriesPage).url),
        ("news index", first(NewsIndexPage, region=None).url),
        ("news", first(NewsPage).url),
        ("policy library", first(PolicyIndexPage).url),
        ("policy", first(PolicyPage).url),
        ("search", "/zh-hans/search/?q=水稻"),
        ("feed (lessons)", "/feeds/zh-hans/lessons/rss.xml"),
        ("feed (function)", "/feeds/zh-hans/lessons/skills/atom.xml"),
        ("feed (news)", "/feeds/zh-hans/news/rss.xml"),
        ("feed (policies)", "/feeds/zh-hans/policies/atom.xml"),
        ("API list", "/api/v2/pages/?type=lessons.LessonPage"),
        ("API detail", f"/api/v2/pages/{lesson.pk}/"),
        ("embed", "/embed/lessons/"),
        ("sitemap", "/sitemap.xml"),
        ("sitemap file", "/sitemap-lesson.xml"),
        ("notices", "/zh-hans/notices/"),
        ("notices feed (region)", "/feeds/zh-hans/notices/kaihua/rss.xml"),
        ("notices JSON", "/api/notices/?region=kaihua"),
        ("region chooser", "/zh-hans/region/"),
        ("message form", "/zh-hans/messages/new/"),
        ("answered messages", "/zh-hans/messages/"),
        ("schedule", "/zh-hans/schedule/zjyj/"),
        ("schedule (print)", "/zh-hans/schedule/zjyj/print/"),
        ("schedule .ics", "/feeds/zh-hans/schedule/zjyj.ics"),
        ("schedule XMLTV", "/feeds/zh-hans/schedule/zjyj.xml"),
        ("schedule SMS text", "/feeds/zh-hans/schedule/zjyj/today.txt"),
    ]
    if imported is not None:
        urls.insert(6, ("lesson (imported)", imported.url))
    return urls


def _variant(url):
    """The same view with one harmless parameter more: it fills what the process keeps
    per content generation without caching ``url``'s own fragments."""
    if url.startswith("/api/"):
        return url + ("&" if "?" in url else "?") + "fields=title"
    return url + ("&" if "?" in url else "?") + "ref=warm"


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)


def count_queries(client, urls):
    """{page type: (after a change, first view, repeat)} for the (name, URL) pairs."""
    from pioneer.caching import generation

    after_change = {}
    for name, url in urls:
        generation.forget()
        after_change[name] = _queries(client, url)
    generation.forget()
    for _name, url in urls:
        client.get(_variant(url))
    first = {name: _queries(client, url) for name, url in urls}
    repeat = {name: _queries(client, url) for name, url in urls}
    return {name: (after_change[name], first[name], repeat[name]) for name, _url in urls}


def client():
    from django.test import Client

    return Client(HTTP_HOST="localhost", HTTP_X_REAL_IP="127.0.0.1")


def fill_to(count, workdir):
    """Import generated lessons until the site holds ``count`` public Chinese lessons."""
    from django.core.management import call_command
    from import_rate import write_lessons
    from wagtail.models import Locale

    from lessons.models import LessonPage
    from pioneer.core.public import public_pages

    zh = Locale.objects.get(language_code="zh-hans")
    lessons = public_pages(LessonPage, locale=zh)
    if lessons.count() >= count:
        return lessons.count()
    # The generated ids run from G-0: a larger file repeats the smaller one's (unchanged).
    path = workdir / f"lessons-{count}.jsonl"
    write_lessons(path, count - lessons.exclude(source_id__startswith="G-").count())
    call_command("import_content", str(path), stdout=io.StringIO())
    return public_pages(LessonPage, locale=zh).count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,10000")
    add_database_argument(parser)
    args = parser.parse_args()
    workdir = demo_site(
        {"RATE_LIMIT_API": "", "RATE_LIMIT_SEARCH": ""}, database_url=args.database_url
    )
    from django.db import connection

    sizes = [int(size) for size in args.sizes.split(",")]
    results, lessons = {}, []
    for size in sizes:
        lessons.append(fill_to(size, workdir))
        for name, counts in count_queries(client(), page_urls()).items():
            results.setdefault(name, []).append(counts)
    print(f"database: {connection.vendor}; lessons: {', '.join(map(str, lessons))}")
    header = " | ".join(f"{f'{n} lessons':^26}" for n in lessons)
    print(f"{'':<18} | {header} |")
    columns = " | ".join(f"{'change':>8} {'first':>8} {'repeat':>7}" for _ in lessons)
    print(f"{'page type':<18} | {columns} | verdict")
    worst, grew = 0, []
    for name, rows in results.items():
        firsts = [row[1] for row in rows]
        worst = max(worst, *firsts)
        if firsts[-1] > firsts[0]:
            grew.append(name)
        verdict = "ok" if max(firsts) <= LIMIT and firsts[-1] <= firsts[0] else "OVER"
        cells = " | ".join(f"{a:>8} {b:>8} {c:>7}" for a, b, c in rows)
        print(f"{name:<18} | {cells} | {verdict}")
    print(
        f"summary: at most {worst} queries on a first view of any public page (target "
        f"{LIMIT}); {'no page grows' if not grew else 'grows: ' + ', '.join(grew)} "
        f"from {lessons[0]} to {lessons[-1]} lessons"
    )


if __name__ == "__main__":
    main()
