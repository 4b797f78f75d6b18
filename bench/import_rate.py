"""Import rate of the central resource library: 10,000 generated lessons via import_content.

Run: .venv/bin/python bench/import_rate.py [--count 10000] [--database-url postgres://…]
     [--search-url opensearch://127.0.0.1:9200] [--profile 30]

Writes a JSONL file of generated lessons, imports it into a fresh demo site with the
real command (validation, pages, revisions, publishing and search indexing included),
then imports it again (nothing changes), and prints pages per second and peak memory
(on Linux each import's own peak resident memory, and its growth over the memory the
process held when the import began).
Target: at least 100 pages a second on SQLite, memory flat.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import add_database_argument, demo_site  # noqa: E402
from search_scale import vocabulary  # noqa: E402

FUNCTIONS = ["思想理论教育", "实用技术培训", "文化艺术熏陶", "学历教育培训", "信息沟通与应急响应"]
REGIONS = ["杭州", "宁波", "湖州", "嘉兴", "绍兴", "温州", "台州", "金华", "衢州", "丽水", "桐庐"]


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb():
    """Resident memory now; on Linux the peak is reset first, so that the peak measured
    after an import is the import's own, not load_demo's before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mb()


def import_peak_mb():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_mb()


def write_lessons(path, count, seed=7):
    """A JSONL file of ``count`` generated lessons in the import format (contract 1),
    recombined from the demo's sentences and titles; the same seed gives the same file."""
    sentences, titles = vocabulary()
    rng = random.Random(seed)
    with Path(path).open("w", encoding="utf-8") as out:
        for i in range(count):
            row = {
                "id": f"G-{i}",
                "type": "lesson",
                "title": f"{rng.choice(titles)}（{i}）",
                "summary": rng.choice(sentences)[:120],
                "body": "\n".join(rng.sample(sentences, 3)),
                "date": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                "region": rng.choice(REGIONS),
                "tags": rng.sample(["水稻", "茶叶", "党史", "电商", "养殖", "应急"], 2),
                "category": rng.choice(FUNCTIONS),
                "duration_minutes": rng.randint(8, 90),
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    add_database_argument(parser)
    parser.add_argument("--search-url", default="", help="an engine indexed as well")
    parser.add_argument(
        "--profile", type=int, default=0, help="print the first import's N costliest calls"
    )
    args = parser.parse_args()
    env = {}
    if args.search_url:
        env = {"SEARCH_URL": args.search_url, "SEARCH_INDEX_PREFIX": f"bench_{os.getpid()}_"}
    workdir = demo_site(extra_env=env, database_url=args.database_url)
    from django.db import connection

    print(f"database: {connection.vendor}; search: {args.search_url or 'database only'}")
    from django.core.management import call_command

    path = workdir / "lessons.jsonl"
    write_lessons(path, args.count)
    rows = []
    for label in ("first import", "second import (unchanged)"):
        before = rss_mb()
        profiler = cProfile.Profile() if args.profile and not rows else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        call_command("import_content", str(path), stdout=io.StringIO())
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        peak = import_peak_mb()
        rows.append((label, seconds, args.count / seconds, cpu, peak, peak - before))
    # CPU seconds too: on a shared machine the wall clock also measures the neighbours.
    print(f"{'run':<28} {'seconds':>8} {'pages/s':>8} {'cpu s':>7} {'peak MB':>8} {'growth MB':>9}")
    for label, seconds, rate, cpu, peak, growth in rows:
        print(f"{label:<28} {seconds:>8.1f} {rate:>8.1f} {cpu:>7.1f} {peak:>8.0f} {growth:>9.0f}")
    print(
        f"summary: imported {args.count} lessons at {rows[0][2]:.0f} pages/s "
        f"({args.count / rows[0][3]:.0f}/s of CPU time; re-import {rows[1][2]:.0f}/s), "
        f"peak RSS {max(row[4] for row in rows):.0f} MB (growth {rows[0][5]:.0f} MB)"
    )


if __name__ == "__main__":
    main()
