"""Requests per second and latency over HTTP in the production shape, measured with wrk.

Run: .venv/bin/python bench/http_load.py [--lessons 10000] [--duration 10] [--mixed-duration 60]
                                         [--think-ms 1000] [--memory-requests 20000]
                                         [--parts pages,mixed,memory] [--keep-data]
                                         [--stack-base N]

``deploy/local/stack`` (PostgreSQL, Redis, OpenSearch, the S3 object store, the task
worker, gunicorn with 2 workers behind nginx and its page cache) is started with state
folders of its own under ``var/bench-http/`` and ports from ``--stack-base`` (gunicorn is
also bound to base + 10, so it can be measured without nginx), and taken down at the end,
even on error. nginx starts with an empty cache. The site holds ``load_demo`` plus
``--lessons`` generated lessons imported with ``import_content`` (the editors' bulk path:
revisions, publishing, English aliases, search indexing); ``--keep-data`` reuses a site
this bench built before with as many.

pages: for home, lesson index, a lesson, a policy, search, a feed and an API list, wrk
measures (a) gunicorn straight, (b) through nginx's cache and (c) nginx serving the same
bytes as a static file: requests/s, p50 and p99, all on keep-alive connections (gthread
workers keep them; with ``--threads 1``, sync workers close each after one answer and wrk
reconnects).

mixed: a mixed load through nginx (80% page views over many lessons, news, policies and
listing pages, 15% searches with the judged set's queries and the result pages that
exist, 5% feeds and API): first on empty caches (nginx's and Redis's, as right after a
first deployment; the stack is restarted before each such run), with readers' pauses
(``--think-ms``) and without, then, after one pass over every address the next runs ask
for, as a site that has been up a while (page copies past their 45 seconds are revalidated),
without pauses and with readers' pauses. Each run is also broken down by kind of
request and by where nginx found the answer, from nginx's access log.

memory: the gunicorn workers over ``--memory-requests`` mixed requests sent straight to
them (the growth over the second half shows a leak). Worker recycling (``max_requests``)
is off for the whole run so that growth stays visible; rate limits are raised out of the
way (wrk is one client IP).

Targets (issue 11): cached ≥ 80% of static; uncached lesson ≥ 150 requests/s and home
≥ 100; mixed load with zero errors and p95 < 200 ms. wrk runs on the same 2 cores as
everything else, and the load average is printed next to each figure.
"""

import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "bench-http"
STACK = ROOT / "deploy" / "local" / "stack"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
TARGETS = ["home", "lesson index", "lesson", "policy", "search", "feed", "api list"]
WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\": %d, \\"seconds\\": %f, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d, "
    .. "\\"status\\": %d, \\"socket\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""
# One path after another from a list, each wrk thread from its own offset.
WRK_MIX = """
local paths = dofile("%s")
local i = 0
init = function(args) i = (tonumber(id) or 0) * 7919 end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["X-Real-IP"] = "127.0.0.1"})
end
local think = %d
if think > 0 then
  -- a reader's pause between pages: exponential, mean ``think`` milliseconds
  delay = function() return math.floor(-math.log(1 - math.random()) * think) end
end
"""


def load_average():
    return os.getloadavg()[0]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')} load {load_average():.1f}] {message}", flush=True)


def stack_env(args, site=True):
    """The environment of the stack's scripts; with ``site``, of the site's commands too
    (the running stack's variables)."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "SEARCH_URL", "CACHE_URL", "MEDIA_STORAGE", "SECRET_KEY"):
        env.pop(name, None)
    env.update(
        STACK_BASE=str(args.stack_base),
        STACK_HOME=str(STATE / "stack"),
        POSTGRES_HOME=str(STATE / "postgres"),
        REDIS_HOME=str(STATE / "redis"),
        OPENSEARCH_HOME=str(STATE / "opensearch"),
        OBJECTSTORE_HOME=str(STATE / "objectstore"),
        WEB_HOME=str(STATE / "web"),
        WEB_WORKERS="2",
        WEB_THREADS=str(args.threads),
        WEB_DIRECT_PORT=str(args.stack_base + 10),
        WEB_MAX_REQUESTS="0",
        # wrk is a single client IP: limits far above what it sends, still counted in Redis.
        RATE_LIMIT_API="10000000/m",
        RATE_LIMIT_SEARCH="10000000/m",
    )
    if not site:
        return env
    exported = subprocess.run(
        [str(STACK), "env"], env=env, check=True, capture_output=True, text=True
    ).stdout
    for line in exported.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value.strip("'\"")
    secret = STATE / "web" / "secret_key"
    if secret.exists():  # the web script's production key: the same settings as gunicorn
        env.update(SECRET_KEY=secret.read_text().strip(), ALLOWED_HOSTS="127.0.0.1,localhost")
    env["DJANGO_SETTINGS_MODULE"] = "pioneer.settings"
    return env


def manage(env, *command, **kwargs):
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, **kwargs)


def wipe_data():
    """Forget a previous run's site; keep the downloads (OpenSearch, S3Proxy)."""
    for name in ("postgres", "redis", "web", "stack"):
        shutil.rmtree(STATE / name, ignore_errors=True)
    shutil.rmtree(STATE / "opensearch" / "data", ignore_errors=True)
    shutil.rmtree(STATE / "objectstore" / "data", ignore_errors=True)
    (STATE / "built.json").unlink(missing_ok=True)


def build_site(args, env):
    sys.path.insert(0, str(ROOT / "bench"))
    from import_rate import write_lessons

    log("load_demo")
    manage(env, "load_demo", check=True, stdout=subprocess.DEVNULL)
    path = STATE / "lessons.jsonl"
    write_lessons(path, args.lessons)
    log(f"import_content of {args.lessons} generated lessons")
    started = time.perf_counter()
    manage(env, "import_content", str(path), check=True, stdout=subprocess.DEVNULL)
    log(f"imported in {time.perf_counter() - started:.0f} s")
    wait_for_tasks(env)
    (STATE / "built.json").write_text(json.dumps({"lessons": args.lessons}))


def wait_for_tasks(env, timeout=1800):
    """Let the task worker finish the import's purges and index updates first."""
    code = (
        "from django_tasks_db.models import DBTaskResult as T;"
        "print(T.objects.filter(status__in=['READY', 'RUNNING']).count())"
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = manage(env, "shell", "-c", code, capture_output=True, text=True).stdout
        left = int((out.strip().splitlines() or ["0"])[-1])  # after the shell's own notes
        if not left:
            return
        log(f"{left} background tasks still queued")
        time.sleep(10)


COLLECT = r"""
import json, random
from wagtail.models import Locale
from home.models import HomePage
from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
from pioneer.core.public import public_pages
from pioneer.core.five_functions import Function
zh = Locale.objects.get(language_code="zh-hans")
def urls(model, **f):
    return [p.url for p in public_pages(model, locale=zh).filter(**f).order_by("pk")]
def indexes():  # each listing with its number of pages
    found = []
    for model, items in ((LessonIndexPage, "lessons"), (NewsIndexPage, "news"),
                         (PolicyIndexPage, "documents")):
        for page in public_pages(model, locale=zh):
            found.append([page.url, -(-getattr(page, items)().count() // page.per_page)])
    return found
lesson = public_pages(LessonPage, locale=zh).exclude(source_id__startswith="G-").exclude(
    series_memberships=None).order_by("pk").first()
policy = public_pages(PolicyPage, locale=zh).order_by("-issue_date", "pk").first()
print(json.dumps({
    "home": urls(HomePage)[0],
    "lesson index": urls(LessonIndexPage, function="")[0],
    "lesson": lesson.url,
    "policy": policy.url,
    "feed": "/feeds/zh-hans/lessons/rss.xml",
    "api list": "/api/v2/pages/?type=lessons.LessonPage",
    "lessons": urls(LessonPage),
    "news": urls(NewsPage),
    "policies": urls(PolicyPage),
    "series": urls(LessonSeriesPage),
    "indexes": indexes(),
    "lesson_ids": list(public_pages(LessonPage, locale=zh).values_list("pk", flat=True)),
    "functions": list(Function.values),
}, ensure_ascii=False))
"""


def collect_urls(env):
    out = manage(env, "shell", "-c", COLLECT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def search_queries():
    judged = json.loads((ROOT / "search" / "relevance_set.json").read_text(encoding="utf-8"))
    return [item["query"] for item in judged]


def search_pages(direct):
    """For each judged query, its result pages 2 and 3 that exist: a reader only follows
    the pager's links (a page past the last is a 404)."""
    found = {}
    for query in search_queries():
        for page in (2, 3):
            try:
                fetch(direct + quote(f"/zh-hans/search/?q={query}&page={page}"))
            except urllib.error.HTTPError:
                break  # past the last page
            found.setdefault(query, []).append(page)
    return found


def quote(path):
    return urllib.request.quote(path, safe="/?=&%:.-_~")


def mixed_paths(site, count, seed):
    """A realistic request sequence: popular content more often than the long tail."""
    rng = random.Random(seed)
    queries = search_queries()

    def popular(items):  # Zipf-like: rank r drawn with weight 1/r
        return items[min(len(items) - 1, int(len(items) ** rng.random()) - 1)]

    lessons = site["lessons"][:]
    rng.shuffle(lessons)
    feeds = [
        f"/feeds/zh-hans/{kind}/{fmt}.xml"
        for kind in ("lessons", "news", "policies")
        for fmt in ("rss", "atom")
    ]
    feeds += [f"/feeds/zh-hans/lessons/{f}/rss.xml" for f in site["functions"]]
    paths = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.80:
            kind = rng.random()
            if kind < 0.55:
                path = popular(lessons)
            elif kind < 0.70:
                path = rng.choice(site["news"])
            elif kind < 0.80:
                path = rng.choice(site["policies"])
            elif kind < 0.85:
                path = rng.choice(site["series"])
            elif kind < 0.92:
                path = site["home"]
            else:
                index, pages = rng.choice(site["indexes"])
                page = min(pages, rng.choice([1, 1, 1, 2, 3, rng.randint(2, 40)]))
                path = index if page <= 1 else f"{index}?page={page}"
        elif roll < 0.95:
            query = rng.choice(queries)
            path = f"/zh-hans/search/?q={query}"
            later = site["search_pages"].get(query, [])  # the pages 2 and 3 that exist
            if later and rng.random() < 0.2:
                path += f"&page={rng.choice(later)}"
        else:
            choice = rng.random()
            if choice < 0.5:
                path = rng.choice(feeds)
            elif choice < 0.8:
                offset = rng.randint(0, 200) * 20
                path = f"/api/v2/pages/?type=lessons.LessonPage&offset={offset}"
            else:
                path = f"/api/v2/pages/{rng.choice(site['lesson_ids'])}/"
        paths.append(quote(path))
    return paths


def lua_paths(paths, folder, think_ms=0):
    table = folder / f"paths-{len(paths)}-{random.random():.6f}.lua"
    with table.open("w", encoding="utf-8") as out:
        out.write("return {\n")
        for path in paths:
            out.write(json.dumps(path) + ",\n")
        out.write("}\n")
    script = folder / (table.stem + "-mix.lua")
    script.write_text(WRK_MIX % (table, think_ms) + WRK_DONE)
    return script


def wrk(url, seconds, connections, threads=2, script=None, headers=()):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(script), url]
    before = load_average()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    result = json.loads(line[4:])
    result["rps"] = result["requests"] / result["seconds"]
    result["load"] = max(before, load_average())
    return result


def combine(results):
    """One figure from several runs: requests over seconds; the median run's latencies."""
    middle = sorted(results, key=lambda r: r["p50"])[len(results) // 2]
    return {
        "requests": sum(r["requests"] for r in results),
        "seconds": sum(r["seconds"] for r in results),
        "rps": sum(r["requests"] for r in results) / sum(r["seconds"] for r in results),
        "p50": middle["p50"],
        "p95": middle["p95"],
        "p99": max(r["p99"] for r in results),
        "status": sum(r["status"] for r in results),
        "socket": sum(r["socket"] for r in results),
        "load": max(r["load"] for r in results),
    }


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers, response.read()


def worker_pids():
    master = int((STATE / "web" / "run" / "gunicorn.pid").read_text())
    children = subprocess.run(
        ["ps", "--ppid", str(master), "-o", "pid="], capture_output=True, text=True
    ).stdout.split()
    return [int(pid) for pid in children]


def memory_mb(pid):
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


LOGGED = re.compile(r'"(?:GET|HEAD) (\S+) [^"]*" (\d{3}) \d+ ([\d.]+) (\S+)$')


def request_kind(path):
    if "/search/" in path:
        return "search"
    if path.startswith("/feeds/"):
        return "feed"
    if path.startswith("/api/"):
        return "API"
    return "page"


def print_by_kind(access_log, offset):
    """The mixed run's requests by kind and by where nginx found the answer (the access
    log's ``timed`` format, deploy/local/web): how many, and their p50 and p95."""
    times = collections.defaultdict(list)
    with access_log.open("rb") as lines:
        lines.seek(offset)
        for line in lines:
            found = LOGGED.search(line.decode("utf-8", "replace").rstrip())
            if found:
                path, status, seconds, cache = found.groups()
                cache = cache if cache != "-" else "uncached"
                times[(request_kind(path), cache)].append(float(seconds))
                times[(request_kind(path), "all")].append(float(seconds))
    total = sum(len(v) for (kind, cache), v in times.items() if cache == "all") or 1
    print(f"    {'kind':<7} {'answer':<9} {'requests':>9} {'share':>6} {'p50 ms':>7} {'p95 ms':>7}")
    order = sorted(times, key=lambda item: (item[0], item[1] != "all", item[1]))
    for kind, cache in order:
        values = times[(kind, cache)]
        values.sort()
        p50, p95 = values[len(values) // 2], values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"    {kind:<7} {cache:<9} {len(values):>9} {len(values) / total:>6.1%} "
            f"{p50 * 1000:>7.0f} {p95 * 1000:>7.0f}"
        )


def ms(microseconds):
    return microseconds / 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--mixed-duration", type=int, default=60)
    parser.add_argument("--mixed-connections", type=int, default=64)
    parser.add_argument(
        "--think-ms",
        type=int,
        default=1000,
        help="a second mixed run where each client pauses this long on average between "
        "requests, as readers do (0: only the run without pauses)",
    )
    parser.add_argument("--memory-requests", type=int, default=20_000)
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="gunicorn threads per worker (deploy/gunicorn.conf.py's default; 1: sync workers)",
    )
    parser.add_argument("--stack-base", type=int, default=int(os.environ.get("STACK_BASE", 18000)))
    parser.add_argument(
        "--keep-data", action="store_true", help="reuse the site a previous run built, if any"
    )
    parser.add_argument("--keep-running", action="store_true", help="leave the stack up")
    parser.add_argument(
        "--parts",
        default="pages,mixed,memory",
        help="which measurements, comma-separated: pages (wrk per page type), mixed, memory",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (Debian's package)")
    STATE.mkdir(parents=True, exist_ok=True)
    built = STATE / "built.json"
    reuse = (
        args.keep_data
        and built.exists()
        and json.loads(built.read_text()).get("lessons") == args.lessons
    )
    if not reuse:
        subprocess.run([str(STACK), "down"], env=stack_env(args, site=False), capture_output=True)
        wipe_data()
    work = Path(tempfile.mkdtemp(prefix="pioneer-http-load-"))
    try:
        start_cold(args)
        env = stack_env(args)
        if not reuse:
            build_site(args, env)
        measure(args, env, work)
    finally:
        if not args.keep_running:
            log("deploy/local/stack down")
            subprocess.run(
                [str(STACK), "down"], env=stack_env(args, site=False), capture_output=True
            )
        shutil.rmtree(work, ignore_errors=True)


def start_cold(args):
    """(Re)start the stack as right after a deployment: nginx's caches empty, and Redis
    (which keeps nothing on disk here) empty, so the site's own caches are too. Down first:
    a running stack would also keep its old settings (ports, recycling, limits)."""
    subprocess.run([str(STACK), "down"], env=stack_env(args, site=False), capture_output=True)
    for cache in ("cache", "cache-answers"):
        shutil.rmtree(STATE / "web" / cache, ignore_errors=True)
    log("deploy/local/stack up")
    subprocess.run(
        [str(STACK), "up"], env=stack_env(args, site=False), check=True, stdout=subprocess.DEVNULL
    )


def measure(args, env, work):
    site = collect_urls(env)
    nginx = f"http://127.0.0.1:{args.stack_base}"
    direct = f"http://127.0.0.1:{args.stack_base + 10}"
    done = work / "done.lua"
    done.write_text(WRK_DONE)
    log(
        f"{len(site['lessons'])} public lessons, {len(site['news'])} news, "
        f"{len(site['policies'])} policies"
    )

    site["search_pages"] = search_pages(direct)
    parts = set(args.parts.split(","))
    findings = []
    if "pages" in parts:
        findings.append(measure_pages(args, env, work, site, nginx, direct, done))
    if "mixed" in parts:
        findings.append(measure_mixed(args, work, site, nginx))
    if "memory" in parts:
        findings.append(measure_memory(args, work, site, direct))
    print(f"summary: {'; '.join(findings)}; load average {load_average():.1f}")


def measure_pages(args, env, work, site, nginx, direct, done):
    static_root = Path(env.get("STATIC_ROOT") or STATE / "web" / "static")
    targets = {name: quote(site[name]) for name in TARGETS if name != "search"}
    targets["search"] = quote("/zh-hans/search/?q=水稻")
    targets = {name: targets[name] for name in TARGETS}
    rows = []
    for name, path in targets.items():
        status, _, body = fetch(direct + path, {"X-Real-IP": "127.0.0.1"})
        suffix = ".xml" if name == "feed" else ".json" if name.startswith("api") else ".html"
        static_path = f"/static/bench-http/{name.replace(' ', '-')}{suffix}"
        (static_root / "bench-http").mkdir(parents=True, exist_ok=True)
        (static_root / static_path.removeprefix("/static/")).write_bytes(body)
        for _ in range(10):  # until nginx answers from its cache, where it caches
            _, headers, _ = fetch(nginx + path)
            cache_status = headers.get("X-Cache-Status") or "not cached"
            if cache_status in ("HIT", "not cached"):
                break
            time.sleep(0.5)  # an old copy is being refreshed in the background
        row = {"name": name, "path": path, "bytes": len(body), "cache": cache_status}
        row["uncached"] = wrk(
            direct + path,
            args.duration,
            args.connections,
            script=done,
            headers=["X-Real-IP: 127.0.0.1"],
        )
        # Cached and static in turns, a third of the time each, so that a neighbour's burst
        # on this shared machine weighs on both alike.
        turns = {"cached": [], "static": []}
        slice_seconds = max(1, args.duration // 3)
        for _ in range(3):
            for kind, url in (("cached", nginx + path), ("static", nginx + static_path)):
                turns[kind].append(wrk(url, slice_seconds, args.connections, script=done))
        row["cached"], row["static"] = combine(turns["cached"]), combine(turns["static"])
        rows.append(row)
        log(
            f"{name}: {row['uncached']['rps']:.0f} / {row['cached']['rps']:.0f} / "
            f"{row['static']['rps']:.0f} requests/s ({cache_status})"
        )

    print()
    kind = "sync workers" if args.threads == 1 else f"gthread workers, {args.threads} threads"
    print(
        f"wrk -t2 -c{args.connections} -d{args.duration}s, keep-alive; "
        f"uncached = gunicorn straight (2 {kind}), cached = through nginx"
    )
    print(
        f"{'page':<13} {'bytes':>6} {'nginx':>10} | {'uncached':>8} {'p50':>7} {'p99':>7} | "
        f"{'cached':>8} {'p50':>6} {'p99':>6} | {'static':>8} {'p50':>6} {'p99':>6} | "
        f"{'cached/static':>13} {'errors':>6} {'load':>4}"
    )
    for row in rows:
        u, c, s = row["uncached"], row["cached"], row["static"]
        errors = sum(r["status"] + r["socket"] for r in (u, c, s))
        ratio = c["rps"] / s["rps"] if row["cache"] != "not cached" else None
        print(
            f"{row['name']:<13} {row['bytes']:>6} {row['cache']:>10} | {u['rps']:>8.0f} "
            f"{ms(u['p50']):>5.1f}ms {ms(u['p99']):>5.0f}ms | {c['rps']:>8.0f} "
            f"{ms(c['p50']):>4.1f}ms {ms(c['p99']):>4.0f}ms | {s['rps']:>8.0f} "
            f"{ms(s['p50']):>4.1f}ms {ms(s['p99']):>4.0f}ms | "
            f"{f'{ratio:.0%}' if ratio is not None else '(no cache)':>13} {errors:>6} "
            f"{max(u['load'], c['load'], s['load']):>4.1f}"
        )
    by_name = {row["name"]: row for row in rows}
    lesson_rps, home_rps = by_name["lesson"]["uncached"]["rps"], by_name["home"]["uncached"]["rps"]
    cached_ratios = [
        row["cached"]["rps"] / row["static"]["rps"] for row in rows if row["cache"] != "not cached"
    ]
    print(
        f"uncached lesson {lesson_rps:.0f} requests/s of target 150 ({lesson_rps / 150:.0%}); "
        f"uncached home {home_rps:.0f} of target 100 ({home_rps / 100:.0%})"
    )
    print(f"cached/static: lowest {min(cached_ratios):.0%} of target 80%")

    return (
        f"uncached lesson {lesson_rps:.0f} req/s (target 150), home {home_rps:.0f} "
        f"(target 100); cached/static ≥ {min(cached_ratios):.0%} (target 80%)"
    )


def measure_mixed(args, work, site, nginx):
    """The mixed load first on nginx's empty cache (the stack starts with none: right after
    a deployment), then, after one pass over every address the next runs ask for (as a
    site that has been up for a while has seen them), without and with readers' pauses."""
    print()
    print(
        f"mixed load through nginx ({args.mixed_connections} clients, {args.mixed_duration} s; "
        "80% pages, 15% search, 5% feeds and API; a new request sequence each run):"
    )
    runs = [("cold cache, no pause", 11, 0), ("warm cache, no pause", 13, 0)]
    if args.think_ms:
        runs.insert(0, (f"cold cache, {args.think_ms} ms pauses", 7, args.think_ms))
        runs.append((f"warm cache, {args.think_ms} ms pauses", 17, args.think_ms))
    sequences = {seed: mixed_paths(site, 50_000, seed=seed) for _, seed, _ in runs}
    mixed_runs = []
    access_log = STATE / "web" / "logs" / "nginx-access.log"
    for label, seed, think in runs:
        if label.startswith("cold") and mixed_runs:
            start_cold(args)  # the run before filled the caches
        if label.startswith("warm") and not any(r["label"].startswith("warm") for r in mixed_runs):
            later = [sequences[seed_] for label_, seed_, _ in runs if label_.startswith("warm")]
            warm_up(nginx, later)
        script = lua_paths(sequences[seed], work, think)
        log(f"mixed load, {label}")
        logged = access_log.stat().st_size if access_log.exists() else 0
        mixed = wrk(nginx + "/", args.mixed_duration, args.mixed_connections, script=script)
        mixed["label"] = label
        mixed_runs.append(mixed)
        time.sleep(1.5)  # nginx writes its buffered access log each second
        print(
            f"  {label}: {mixed['requests']} requests, {mixed['rps']:.0f}/s, errors "
            f"{mixed['status']} HTTP + {mixed['socket']} socket; p50 {ms(mixed['p50']):.1f} ms, "
            f"p95 {ms(mixed['p95']):.1f} ms, p99 {ms(mixed['p99']):.1f} ms (target p95 < 200 "
            f"ms); load {mixed['load']:.1f}"
        )
        print_by_kind(access_log, logged)

    return (
        "mixed "
        + "; ".join(
            f"{run['label']}: {run['rps']:.0f} req/s p95 {ms(run['p95']):.0f} ms "
            f"{run['status'] + run['socket']} errors"
            for run in mixed_runs
        )
        + " (target p95 < 200 ms, 0 errors)"
    )


def warm_up(nginx, sequences, clients=4):
    """Ask nginx once for every address in ``sequences`` (as many clients as gunicorn has
    threads), so the runs after it meet the cache of a site that has been up a while."""
    from concurrent.futures import ThreadPoolExecutor

    paths = list(dict.fromkeys(path for sequence in sequences for path in sequence))
    log(f"warming nginx's cache: {len(paths)} addresses")
    started = time.perf_counter()

    def one(path):
        try:
            fetch(nginx + path)
        except urllib.error.HTTPError:
            pass

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, paths))
    log(f"warmed in {time.perf_counter() - started:.0f} s")


def measure_memory(args, work, site, direct):
    # --- memory of the gunicorn workers over mixed requests straight to them --------------
    log(f"memory: {args.memory_requests} mixed requests straight to gunicorn")
    script = lua_paths(mixed_paths(site, 50_000, seed=23), work)
    pids = worker_pids()
    samples = [(0, {pid: memory_mb(pid) for pid in pids})]
    sent, half = 0, args.memory_requests // 2
    memory_errors = 0
    for goal in (half, args.memory_requests):
        while sent < goal:
            result = wrk(direct + "/", 15, 4, script=script)
            sent += result["requests"]
            memory_errors += result["status"] + result["socket"]
        samples.append((sent, {pid: memory_mb(pid) for pid in worker_pids()}))
    if worker_pids() != pids:
        print("  note: a worker was replaced during the run (a crash or a timeout)")
    print()
    print(
        f"gunicorn workers' memory over {sent} mixed requests straight to them "
        f"(worker recycling off; {memory_errors} errors):"
    )
    print(
        f"  {'worker':>8} {'start MB':>9} {'after ' + str(samples[1][0]):>12} "
        f"{'after ' + str(samples[2][0]):>12} {'peak MB':>8} {'growth 2nd half':>16}"
    )
    growths, peaks = [], []
    for pid in pids:
        start, mid, end = (sample[1].get(pid, {}) for sample in samples)
        if not end:
            continue
        growth = end["VmRSS"] - mid["VmRSS"]
        growths.append(growth)
        peaks.append(end["VmHWM"])
        print(
            f"  {pid:>8} {start['VmRSS']:>9.0f} {mid['VmRSS']:>12.0f} {end['VmRSS']:>12.0f} "
            f"{end['VmHWM']:>8.0f} {growth:>+15.1f}"
        )

    return (
        f"worker peak {max(peaks, default=0):.0f} MB, growth over the second half "
        f"{max(growths, default=0):+.1f} MB"
    )


if __name__ == "__main__":
    main()
