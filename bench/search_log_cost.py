"""What the search log costs the app: its counting image and a result's ping, beside the
search they count, on SQLite or PostgreSQL.

Run: .venv/bin/python bench/search_log_cost.py [--rounds 300] [--database-url postgres://…]

A throw-away demo site answers, through Django's test client in this process (the app's
own time, no HTTP): a search page for each of the relevance set's queries, rendered anew
each time (what gunicorn does when nginx's copy is missing or old), the image each page
carries (one UPSERT of the day's counters, in a savepoint) and one result's ping (the same
for the opens). Each kind is timed ``--rounds`` times, interleaved, so the machine's noise
falls on all three alike; compare the ratios rather than the milliseconds.

What it means for the site: nginx serves most search pages from its cache without asking
the app (0.1 ms), but every browser showing one fetches the image from the app; so the
image's cost is paid per search shown and the search's only per search rendered.
"""

import argparse
import json
import random
import re
import statistics
import sys
import time
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, add_database_argument, demo_site  # noqa: E402


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    add_database_argument(parser)
    args = parser.parse_args()

    # Rate limits out of the way: the test client is one address sending thousands.
    demo_site({"RATE_LIMIT_SEARCH": "", "RATE_LIMIT_SEARCH_LOG": ""}, args.database_url)
    from django.db import connection
    from django.test import Client

    from search.models import SearchQueryDay

    judged = json.loads((ROOT / "search" / "relevance_set.json").read_text())
    queries = [item["query"] for item in judged]
    client = Client()
    random.seed(21)
    times = {"search page (rendered)": [], "counting image": [], "result's ping": []}
    pages = []
    for round_ in range(args.rounds):
        query = queries[round_ % len(queries)]
        started = time.perf_counter()
        response = client.get("/zh-hans/search/", {"q": query})
        times["search page (rendered)"].append(time.perf_counter() - started)
        html = response.content.decode()
        image = re.search(r'<img src="([^"]+/search/seen/[^"]+)"', html)
        pings = re.findall(r'ping="([^"]+)"', html)
        if image is None:
            continue
        started = time.perf_counter()
        assert client.get(unescape(image.group(1))).status_code == 200
        times["counting image"].append(time.perf_counter() - started)
        if pings:
            pages.append(unescape(random.choice(pings)))
            started = time.perf_counter()
            ping = client.post(pages[-1], data="PING", content_type="text/ping")
            assert ping.status_code == 204
            times["result's ping"].append(time.perf_counter() - started)

    print(f"database: {connection.vendor}, {args.rounds} rounds over {len(queries)} queries")
    print(f"{'request':<24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in times.items():
        if values:
            print(
                f"{name:<24} {len(values):>5} {statistics.median(values) * 1000:>8.1f} "
                f"{percentile(values, 0.95) * 1000:>8.1f}"
            )
    search_p50 = statistics.median(times["search page (rendered)"])
    image_p50 = statistics.median(times["counting image"])
    print(f"image / search page (p50): {image_p50 / search_p50:.2f}")
    totals = SearchQueryDay.objects.values_list("searches", "opens")
    print(
        "logged: "
        f"{sum(s for s, _o in totals)} searches, {sum(o for _s, o in totals)} opens, "
        f"{len(totals)} rows"
    )


if __name__ == "__main__":
    main()
