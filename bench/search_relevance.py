"""Relevance of the site's Chinese search on the judged set in search/relevance_set.json.

Run: .venv/bin/python bench/search_relevance.py [--search-url opensearch://127.0.0.1:9200]
     [--database-url postgres://…]

Builds a demo site, indexes it into the chosen backend (the database backend when no
search URL is given), runs every judged query through the same search the learners use
and prints nDCG@10, Recall@10 and zero-result queries per kind of query.
"""

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, add_database_argument, demo_site  # noqa: E402

K = 10


def dcg(gains):
    return sum(g / math.log2(i + 2) for i, g in enumerate(gains))


def evaluate(found, judged):
    gains = [judged.get(slug, 0) for slug in found[:K]]
    ideal = sorted(judged.values(), reverse=True)[:K]
    ndcg = dcg(gains) / dcg(ideal) if ideal else 0.0
    relevant = set(judged)
    recall = len(relevant & set(found[:K])) / min(len(relevant), K) if relevant else 0.0
    return ndcg, recall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--search-url", default="", help="engine to measure instead of the DB")
    parser.add_argument("--index-settings", default="segmented", choices=["segmented", "cjk"])
    parser.add_argument("--show-misses", action="store_true")
    add_database_argument(parser)
    args = parser.parse_args()
    env = {"SEARCH_URL": args.search_url, "SEARCH_ANALYZER": args.index_settings}
    demo_site(env, database_url=args.database_url)
    from django.core.management import call_command
    from wagtail.models import Locale

    from search import service

    if args.search_url:
        call_command("update_index", verbosity=0)
    locale = Locale.objects.get(language_code="zh-hans")
    judged_set = json.loads((ROOT / "search" / "relevance_set.json").read_text(encoding="utf-8"))

    per_kind = defaultdict(list)
    backend = None
    for item in judged_set:
        outcome = service.search(item["query"], locale, page=1, page_size=K)
        backend = backend or outcome.backend
        found = [hit.page.slug for hit in outcome.hits]
        ndcg, recall = evaluate(found, item["relevant"])
        per_kind[item["kind"]].append((ndcg, recall, not found))
        if args.show_misses and ndcg < 0.8:
            print(f"  miss {item['query']!r}: nDCG {ndcg:.2f} got {found[:5]}")
        if args.show_misses and recall < 1:
            missed = sorted(set(item["relevant"]) - set(found[:K]))
            print(f"  not in the first {K} for {item['query']!r}: {missed}")

    if backend == "database":
        from django.db import connection

        backend = f"database ({connection.vendor})"
    print(f"backend: {backend}" + (f" ({args.index_settings})" if args.search_url else ""))
    print(f"{'kind':<12} {'queries':>7} {'nDCG@10':>8} {'Recall@10':>9} {'zero':>5}")
    everything = []
    for kind, rows in sorted(per_kind.items()):
        everything += rows
        print(
            f"{kind:<12} {len(rows):>7} {sum(r[0] for r in rows) / len(rows):>8.3f} "
            f"{sum(r[1] for r in rows) / len(rows):>9.3f} {sum(r[2] for r in rows):>5}"
        )
    ndcg = sum(r[0] for r in everything) / len(everything)
    recall = sum(r[1] for r in everything) / len(everything)
    zero = sum(r[2] for r in everything)
    print(f"{'all':<12} {len(everything):>7} {ndcg:>8.3f} {recall:>9.3f} {zero:>5}")
    print(
        f"summary: {backend} nDCG@10 {ndcg:.3f}, Recall@10 {recall:.3f}, "
        f"{zero} zero-result queries of {len(everything)}"
    )


if __name__ == "__main__":
    main()
