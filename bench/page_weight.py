"""Bytes a learner downloads per page type (HTML + CSS + JS, gzipped) against the budget.

Run: .venv/bin/python bench/page_weight.py
Every public page type, feeds, the API, the embed widget and the sitemap included. Media
and cover images are not counted (they load lazily or on demand); the largest image served
into a listing slot (home, every lesson index, a series) is reported on its own.
"""

import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import demo_site  # noqa: E402

BUDGET = 30 * 1024


def gz(data):
    return len(gzip.compress(data, compresslevel=6))


def main():
    demo_site()
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.test import Client
    from wagtail.images.models import Rendition

    from home.models import HomePage
    from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
    from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage

    client = Client(HTTP_X_REAL_IP="127.0.0.1")

    def first(model, **filters):
        return model.objects.live().filter(**filters).first().url

    lesson = max(LessonPage.objects.live(), key=lambda p: len(p.body.raw_data))
    pages = [
        ("home", first(HomePage)),
        ("lesson index", first(LessonIndexPage, function="")),
        ("function index", first(LessonIndexPage, function="skills")),
        ("lesson (longest)", lesson.url),
        ("series", first(LessonSeriesPage)),
        ("news index", first(NewsIndexPage, region=None)),
        ("news", first(NewsPage)),
        ("policy library", first(PolicyIndexPage)),
        ("policy", first(PolicyPage)),
        ("search", "/zh-hans/search/?q=水稻"),
        ("404", "/zh-hans/no-such-page/"),
        ("feed (RSS)", "/feeds/zh-hans/lessons/rss.xml"),
        ("feed (Atom)", "/feeds/zh-hans/news/atom.xml"),
        ("API list", "/api/v2/pages/?type=lessons.LessonPage"),
        ("API detail", f"/api/v2/pages/{lesson.pk}/"),
        ("embed", "/embed/lessons/"),
        ("sitemap", "/sitemap.xml"),
        ("sitemap file", "/sitemap-lesson.xml"),
        ("notices", "/zh-hans/notices/"),
        ("region chooser", "/zh-hans/region/"),
        ("message form", "/zh-hans/messages/new/"),
        ("schedule", "/zh-hans/schedule/zjyj/"),
        ("schedule (print)", "/zh-hans/schedule/zjyj/print/"),
        ("schedule .ics", "/feeds/zh-hans/schedule/zjyj.ics"),
        ("schedule XMLTV", "/feeds/zh-hans/schedule/zjyj.xml"),
    ]
    print(
        f"{'page type':<18} {'HTML':>8} {'HTML gz':>8} {'CSS gz':>7} {'JS gz':>6} "
        f"{'total gz':>9} {'budget':>7}"
    )
    worst = 0
    for name, url in pages:
        response = client.get(url)
        html = response.content
        css = js = 0
        for href in set(re.findall(rb'<link rel="stylesheet" href="([^"]+)"', html)):
            path = finders.find(href.decode().removeprefix(settings.STATIC_URL))
            css += gz(Path(path).read_bytes())
        for src in set(re.findall(rb'<script[^>]+src="([^"]+)"', html)):
            path = finders.find(src.decode().removeprefix(settings.STATIC_URL))
            js += gz(Path(path).read_bytes())
        total = gz(html) + css + js
        worst = max(worst, total)
        verdict = "ok" if total <= BUDGET else "OVER"
        print(
            f"{name:<18} {len(html):>8} {gz(html):>8} {css:>7} {js:>6} {total:>9} {verdict:>7}"
            f"  ({response.status_code})"
        )

    # Every listing that shows pictures: home, the indexes (first pages) and a series.
    listings = [first(HomePage), first(LessonIndexPage, function=""), first(LessonSeriesPage)]
    listings += [page.url for page in LessonIndexPage.objects.live().exclude(function="")]
    largest = (0, "")
    for url in listings:
        listing = client.get(url).content.decode()
        for src in re.findall(r'<img [^>]*src="([^"]+)"', listing):
            name = src.removeprefix(settings.MEDIA_URL)
            rendition = Rendition.objects.filter(file=name).first()
            if rendition:
                size = rendition.file.size
                largest = max(largest, (size, f"{rendition.width}x{rendition.height} {src}"))
    print(f"largest listing image: {largest[0]} bytes ({largest[1]})")
    print(
        f"summary: heaviest page {worst} bytes gzipped of {BUDGET} budget "
        f"({worst / BUDGET:.0%}); largest listing image {largest[0]} bytes"
    )


if __name__ == "__main__":
    main()
