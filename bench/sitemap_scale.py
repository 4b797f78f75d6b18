"""What the sitemap costs at a province's size: the index and its files (first, middle and
last) at each SITEMAP_LIMIT, and what OFFSET would cost against the id ranges it uses.

Run: .venv/bin/python bench/sitemap_scale.py [--sizes 10000,100000] [--limits 2000,5000,10000]
                                             [--database-url postgres://…]

Each size is that many lessons in Chinese and as many English translations (the same
translation key, so every entry has an alternate, in another file), written straight into
the page table: the sitemap reads nothing else of a lesson. Times are the median of three
requests through the whole middleware stack; "fresh" is the first request after a publish
(the content generation moved: the files' table is looked up again), "warm" one within a
generation. nginx keeps each answer and revalidates it with a 304 while nothing changes.
"""

import argparse
import gzip
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import add_database_argument, demo_site  # noqa: E402


def generate(count, start):
    """Add ``count`` lessons under the function indexes, each with its English version
    under the English index; returns seconds."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from wagtail.models import Locale, Page

    from lessons.models import LessonIndexPage, LessonPage

    content_type = ContentType.objects.get_for_model(LessonPage)
    english = Locale.objects.get(language_code="en")
    begun = time.perf_counter()
    parents = list(
        LessonIndexPage.objects.filter(locale__language_code="zh-hans").exclude(function="")
    )
    share = count // len(parents)
    with transaction.atomic():
        for parent in parents:
            twin = parent.get_translation(english)
            next_number = {}
            for index in (parent, twin):
                last = index.get_last_child()
                next_number[index] = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
            rows = []
            for i in range(share):
                key, slug = uuid.uuid4(), f"sitemap-{start + i}"
                for index in (parent, twin):
                    number = next_number[index] + i
                    title = f"课程 {start + i}"
                    rows.append(
                        Page(
                            title=title,
                            draft_title=title,
                            slug=slug,
                            path=index.path + Page._int2str(number).rjust(Page.steplen, "0"),
                            depth=index.depth + 1,
                            numchild=0,
                            url_path=f"{index.url_path}{slug}/",
                            content_type=content_type,
                            locale_id=index.locale_id,
                            translation_key=key,
                            live=True,
                            has_unpublished_changes=False,
                        )
                    )
            # Chinese pages first, then their English versions: translations come later.
            rows.sort(key=lambda page: page.locale_id != parent.locale_id)
            Page.objects.bulk_create(rows, batch_size=2000)
            for index in (parent, twin):
                index.numchild += share
                index.save(update_fields=["numchild"])
    return time.perf_counter() - begun


def timed(client, address, fresh):
    """(median ms of three requests, queries of the last, gzipped bytes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pioneer.caching import generation

    times = []
    for _round in range(3):
        if fresh:
            generation.forget()
        else:
            client.get(address)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(address)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{address} answered {response.status_code}")
    return statistics.median(times), len(queries), len(gzip.compress(response.content))


def offset_against_range(limit):
    """ms of the last lesson file's rows read by OFFSET, and by the id range it uses."""
    from pioneer.core import sitemap

    pages = sitemap.section_pages("lesson").order_by("pk")
    fields = ("pk", "translation_key", "url_path", "locale__language_code")
    count = pages.count()
    last = (count - 1) // limit
    files = sitemap._files("lesson", limit)

    def median(read):
        runs = []
        for _round in range(3):
            started = time.perf_counter()
            list(read())
            runs.append((time.perf_counter() - started) * 1000)
        return statistics.median(runs)

    by_offset = median(lambda: pages.values_list(*fields)[last * limit : (last + 1) * limit])
    by_range = median(lambda: pages.filter(pk__gte=files[last][0]).values_list(*fields)[:limit])
    table = median(lambda: sitemap._files("lesson", limit))
    return by_offset, by_range, table


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--limits", default="2000,5000,10000")
    add_database_argument(parser)
    args = parser.parse_args()
    demo_site({"RATE_LIMIT_API": "", "RATE_LIMIT_SEARCH": ""}, database_url=args.database_url)
    from django.db import connection
    from django.test import Client, override_settings

    from pioneer.core import sitemap

    client = Client(HTTP_HOST="localhost", HTTP_X_REAL_IP="127.0.0.1")
    print(f"database: {connection.vendor}")
    total, summary = 0, []
    for size in (int(s) for s in args.sizes.split(",")):
        seconds = generate(size - total, start=total)
        total = size
        pages = sitemap.section_pages("lesson").count()
        print(
            f"\n{size} lessons, {pages} lesson pages in both languages (written in {seconds:.0f} s)"
        )
        print(
            f"{'limit':>6} {'files':>5} | {'address':<24} {'fresh ms':>9} {'q':>3} "
            f"{'warm ms':>8} {'q':>3} {'gzip KB':>8}"
        )
        for limit in (int(n) for n in args.limits.split(",")):
            with override_settings(SITEMAP_LIMIT=limit):
                files = len(sitemap.section_files("lesson"))
                addresses = ["/sitemap.xml", "/sitemap-lesson.xml"]
                if files > 2:
                    addresses.append(f"/sitemap-lesson.xml?p={files // 2 + 1}")
                if files > 1:
                    addresses.append(f"/sitemap-lesson.xml?p={files}")
                worst = 0.0
                for address in addresses:
                    fresh, fresh_q, size_bytes = timed(client, address, fresh=True)
                    warm, warm_q, _size = timed(client, address, fresh=False)
                    if address != "/sitemap.xml":
                        worst = max(worst, warm)
                    print(
                        f"{limit:>6} {files:>5} | {address:<24} {fresh:>9.0f} {fresh_q:>3} "
                        f"{warm:>8.0f} {warm_q:>3} {size_bytes / 1024:>8.1f}"
                    )
                by_offset, by_range, table = offset_against_range(limit)
                print(
                    f"{'':>12} the last file's rows: OFFSET {by_offset:.0f} ms, id range "
                    f"{by_range:.0f} ms; the files' table (once a generation) {table:.0f} ms"
                )
                summary.append(f"{size}/{limit}: a file ≤ {worst:.0f} ms warm")
    print("\nsummary: " + "; ".join(summary))


if __name__ == "__main__":
    main()
