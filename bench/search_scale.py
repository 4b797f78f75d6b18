"""Index build time and query latency of search at 10,000 and 100,000 lessons.

Run: .venv/bin/python bench/search_scale.py [--sizes 10000,100000]
                                            [--search-url opensearch://127.0.0.1:9200]

Generated lessons are written straight into the page tables (as a fixture load would:
the page API is measured by the import benchmark, not here), then the search index is
built with ``update_index`` and timed; queries then run through the same search the
learners use. Targets: database backend on SQLite p95 < 150 ms at 10,000; engine
p95 < 50 ms at 100,000.
"""

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, add_database_argument, demo_site  # noqa: E402


def vocabulary():
    """Sentences and words from the demo lessons, recombined into new lessons."""
    with open(ROOT / "site" / "data" / "demo" / "lessons.jsonl", encoding="utf-8") as handle:
        lessons = [json.loads(line) for line in handle if line.strip()]
    sentences, titles = [], []
    for lesson in lessons:
        if lesson["type"] != "lesson":
            continue
        titles.append(lesson["title"])
        sentences.append(lesson["summary"])
        for block in lesson["blocks"]:
            if block["type"] in ("paragraph", "quote", "outline", "steps"):
                items = [re.sub(r"^\d{2}:\d{2} ", "", item) for item in block.get("items", [])]
                sentences += [block.get("text", "")] + items + block.get("steps", [])
    return [s for s in sentences if s], titles


def generate(count, start):
    """Insert ``count`` lessons under the function indexes in bulk; returns seconds."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from lessons.models import LessonIndexPage, LessonPage
    from pioneer.core.five_functions import FUNCTION_SLUGS, Function

    sentences, titles = vocabulary()
    rng = random.Random(start)
    content_type = ContentType.objects.get_for_model(LessonPage)
    begun = time.perf_counter()
    with transaction.atomic():
        for function in Function:
            parent = LessonIndexPage.objects.get(
                slug=FUNCTION_SLUGS[function], locale__language_code="zh-hans"
            )
            share = count // len(Function)
            last = parent.get_last_child()
            next_index = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
            pages = []
            for i in range(share):
                title = f"{rng.choice(titles)}（{(start + i) % 997 + 1}）"
                path = parent.path + Page._int2str(next_index + i).rjust(Page.steplen, "0")
                slug = f"gen-{function.value}-{start}-{i}"
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        path=path,
                        depth=parent.depth + 1,
                        numchild=0,
                        url_path=f"{parent.url_path}{slug}/",
                        content_type=content_type,
                        locale_id=parent.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                    )
                )
            Page.objects.bulk_create(pages, batch_size=2000)
            created = Page.objects.filter(path__in=[p.path for p in pages]).values_list(
                "pk", "title"
            )
            for pk, title in created:
                body = " ".join(rng.sample(sentences, 4))
                LessonPage(
                    page_ptr_id=pk,
                    title=title,
                    summary=rng.choice(sentences)[:300],
                    body=[("paragraph", RichText(f"<p>{body}</p>"))],
                    function=function.value,
                    duration_minutes=rng.randint(8, 90),
                ).save_base(raw=True)
            parent.numchild += share
            parent.save(update_fields=["numchild"])
    return time.perf_counter() - begun


def measure(queries, locale, repeat=3, slowest=0):
    from search import service

    timings, per_query = [], {}
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            service.search(query, locale, page=1, page_size=10)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            per_query[query] = max(per_query.get(query, 0), elapsed)
    for query, elapsed in sorted(per_query.items(), key=lambda kv: -kv[1])[:slowest]:
        print(f"  slow: {elapsed:7.1f} ms {query}")
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def profile(queries, locale, top):
    """Where one pass over the queries spends its time (after the timed passes)."""
    import cProfile
    import pstats

    from search import service

    profiler = cProfile.Profile()
    profiler.enable()
    for query in queries:
        service.search(query, locale, page=1, page_size=10)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--search-url", default="")
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="profile the queries at the last size and print the N costliest functions",
    )
    parser.add_argument(
        "--widening",
        action="store_true",
        help="also time the queries with widening off, interleaved, to show what it costs",
    )
    add_database_argument(parser)
    args = parser.parse_args()
    demo_site({"SEARCH_URL": args.search_url}, database_url=args.database_url)
    from django.core.management import call_command
    from wagtail.models import Locale

    from search import service

    locale = Locale.objects.get(language_code="zh-hans")
    judged = json.loads((ROOT / "search" / "relevance_set.json").read_text(encoding="utf-8"))
    queries = [item["query"] for item in judged]
    backend = service.search("水稻", locale).backend
    print(f"backend: {backend}")
    print(
        f"{'lessons':>8} {'insert s':>9} {'index s':>8} {'docs/s':>8} {'p50 ms':>7} {'p95 ms':>7}"
    )
    total, rows = 0, []
    sizes = [int(s) for s in args.sizes.split(",")]
    total_wanted = sizes[-1]
    for size in sizes:
        add = size - total
        insert_s = generate(add, start=total)
        total = size
        started = time.perf_counter()
        call_command("update_index", verbosity=0)
        index_s = time.perf_counter() - started
        p50, p95 = measure(queries, locale, slowest=args.slowest)
        if args.widening:
            # Off and on in turn, three rounds each, so load on the machine falls on both.
            figures = {"off": [], "on": []}
            for _round in range(3):
                for state, below in (("off", 0), ("on", service.WIDEN_BELOW)):
                    kept, service.WIDEN_BELOW = service.WIDEN_BELOW, below
                    figures[state].append(measure(queries, locale, repeat=1))
                    service.WIDEN_BELOW = kept
            for state, runs in figures.items():
                p50s, p95s = zip(*runs, strict=True)
                print(
                    f"  widening {state}: p50 {statistics.median(p50s):.1f} ms, "
                    f"p95 {statistics.median(p95s):.1f} ms (median of 3 rounds)"
                )
        if args.profile and size == total_wanted:
            profile(queries, locale, args.profile)
        rows.append((size, p50, p95))
        print(
            f"{size:>8} {insert_s:>9.1f} {index_s:>8.1f} {size / index_s:>8.0f} "
            f"{p50:>7.1f} {p95:>7.1f}"
        )
    summary = ", ".join(f"{size}: p50 {p50:.0f} ms p95 {p95:.0f} ms" for size, p50, p95 in rows)
    print(f"summary: {backend} {summary}")


if __name__ == "__main__":
    main()
