"""Every public URL type straight to gunicorn at 10,000 and 100,000 lessons (issue 23).

Run: .venv/bin/python bench/scale.py --database-url postgres://… --search-url opensearch://…
                                     [--sizes 10000,100000] [--requests 120] [--warmup 10]
                                     [--port 8491] [--keep-data] [--only 'ROW|ROW']

A database on the server of ``--database-url`` (``pioneer_scale``) gets the demo, then
generated lessons up to each size, spread over the five functions, the 102 regions, eight
years of dates, the demo's topics and series of 4-12 lessons, with news (a tenth of the
lessons) and policies (a twentieth) beside them, written straight into the page tables as
``search_scale.py`` does (the page API's cost is ``import_rate.py``'s subject, not this
one's); ``update_index`` then builds the engine's index. Generated pages have no English
translations (the demo's have): wagtail-localize's copies would double the fill.

The site is then served by gunicorn alone (``deploy/local/web app start``: production
settings, 2 workers, its own Redis, no nginx, so nothing is answered from a front cache)
with ``PIONEER_QUERY_HEADER=1``, and each URL type is asked ``--requests`` times, one
request after another, each time a different address where the type has many (random
lessons, deep pages, filter combinations, queries); a type with fewer addresses gets a
throw-away ``_b=N`` parameter after each has been asked once (the JSON API refuses unknown
parameters, so its rows have enough addresses of their own). No ``If-None-Match`` is
sent. The fragments pages share (menu, footer) stay in Redis per content generation, as
they do in production. Each row prints p50/p95/p99 in
ms and the most queries any request made; target: p95 < 100 ms and at most 12 queries,
the same at every size. ``--keep-data`` keeps the database (and reuses it next time).
"""

import argparse
import datetime
import http.client
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT  # noqa: E402
from search_scale import vocabulary  # noqa: E402

P95_TARGET_MS = 100
QUERY_LIMIT = 12
DB_NAME = "pioneer_scale"
STATE = ROOT / "var" / "bench-scale"
FIRST_DAY = datetime.date(2019, 1, 1)
DAYS = (datetime.date(2026, 11, 30) - FIRST_DAY).days


# --- the database ------------------------------------------------------------------------


def open_database(url, keep):
    """Point Django at ``pioneer_scale`` on ``url``'s server: reused when kept and filled,
    else created anew (and dropped at exit unless ``keep``). Returns True when reused."""
    import atexit

    import psycopg

    parts = urlsplit(url)
    server = urlunsplit(("postgresql", parts.netloc, parts.path or "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        state = read_state()
        reused = bool(exists and keep and state.get("demo"))
        if not reused:
            connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            connection.execute(f"CREATE DATABASE \"{DB_NAME}\" ENCODING 'UTF8' TEMPLATE template0")
            write_state({})

    if not keep:

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            write_state({})

        atexit.register(drop)
    return urlunsplit((parts.scheme, parts.netloc, "/" + DB_NAME, parts.query, "")), reused


def read_state():
    try:
        return json.loads((STATE / "state.json").read_text())
    except (OSError, ValueError):
        return {}


def write_state(state):
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / "state.json").write_text(json.dumps(state))


def setup_django(database_url, search_url, reused):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")
    os.environ["DATABASE_URL"] = database_url
    os.environ["SEARCH_URL"] = search_url
    os.environ["MEDIA_ROOT"] = str(STATE / "media")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not reused:
        call_command("load_demo", stdout=open(os.devnull, "w"))
        state = read_state()
        state["demo"] = True
        write_state(state)


# --- the fill ----------------------------------------------------------------------------


def _bulk_pages(parent, model, rows, rng_slug):
    """Create ``rows`` [(title, date, fields)] as live children of ``parent`` of ``model``:
    Page rows in bulk, then each specific row raw (the parents are written already).
    Returns the created pages' ids in ``rows``' order."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    content_type = ContentType.objects.get_for_model(model)
    last = parent.get_last_child()
    next_index = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    pages = []
    for i, (title, day, _fields) in enumerate(rows):
        slug = f"{rng_slug}-{i}"
        moment = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=parent.path + Page._int2str(next_index + i).rjust(Page.steplen, "0"),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                content_type=content_type,
                locale_id=parent.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=moment,
                last_published_at=moment,
            )
        )
    Page.objects.bulk_create(pages, batch_size=2000)
    ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
    created = []
    for page, (title, _day, fields) in zip(pages, rows, strict=True):
        pk = ids[page.path]
        model(page_ptr_id=pk, title=title, **fields).save_base(raw=True)
        created.append(pk)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(rows))
    parent.numchild += len(rows)
    return created


def _day(rng):
    return FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))


def fill(lessons_wanted):
    """Generated lessons, series, news and policies until the Chinese site holds
    ``lessons_wanted`` lessons, a tenth as many news and a twentieth as many policies.
    Returns (seconds, {kind: count added})."""
    from django.db import transaction
    from wagtail.models import Locale
    from wagtail.rich_text import RichText

    from lessons.models import (
        LessonIndexPage,
        LessonPage,
        LessonPageTag,
        LessonSeriesPage,
        SeriesMember,
    )
    from news.models import NewsIndexPage, NewsPage, NewsPageTag, PolicyIndexPage, PolicyPage
    from pioneer.core.five_functions import FUNCTION_SLUGS, Function
    from pioneer.core.models import Region, Topic

    zh = Locale.objects.get(language_code="zh-hans")
    sentences, titles = vocabulary()
    regions = list(Region.objects.filter(locale=zh).order_by("pk"))
    topics = list(Topic.objects.filter(locale=zh).values_list("pk", flat=True))
    have = LessonPage.objects.filter(locale=zh).count()
    added = {"lessons": 0, "series": 0, "news": 0, "policies": 0}
    begun = time.perf_counter()
    rng = random.Random(have)

    def body():
        return [("paragraph", RichText(f"<p>{' '.join(rng.sample(sentences, 4))}</p>"))]

    with transaction.atomic():
        missing = lessons_wanted - have
        functions = list(Function)
        for n, function in enumerate(functions):
            share = missing // len(functions) + (1 if n < missing % len(functions) else 0)
            if share <= 0:
                continue
            parent = LessonIndexPage.objects.get(slug=FUNCTION_SLUGS[function], locale=zh)
            rows = []
            for i in range(share):
                rows.append(
                    (
                        f"{rng.choice(titles)}（{have + i}）",
                        _day(rng),
                        {
                            "summary": rng.choice(sentences)[:300],
                            "body": body(),
                            "function": function.value,
                            "region_id": rng.choice(regions).pk if rng.random() < 0.8 else None,
                            "duration_minutes": rng.randint(8, 90),
                        },
                    )
                )
            for row in rows:
                row[2]["date"] = row[1]
            ids = _bulk_pages(parent, LessonPage, rows, f"gen-{function.value}-{have}")
            added["lessons"] += len(ids)
            tags = []
            for pk in ids:
                for topic in rng.sample(topics, min(len(topics), rng.choice((0, 1, 1, 2, 3)))):
                    tags.append(LessonPageTag(content_object_id=pk, tag_id=topic))
            LessonPageTag.objects.bulk_create(tags, batch_size=5000)
            # A series for about every 60 lessons, of 4 to 12 of them.
            series_rows, members = [], []
            for _ in range(len(ids) // 60):
                chosen = rng.sample(ids, rng.randint(4, 12))
                series_rows.append(
                    (f"{rng.choice(titles)}专题", _day(rng), {"summary": rng.choice(sentences)})
                )
                members.append(chosen)
            if series_rows:
                series_ids = _bulk_pages(
                    parent, LessonSeriesPage, series_rows, f"gen-series-{function.value}-{have}"
                )
                SeriesMember.objects.bulk_create(
                    [
                        SeriesMember(series_id=sid, lesson_id=lid, sort_order=order)
                        for sid, chosen in zip(series_ids, members, strict=True)
                        for order, lid in enumerate(chosen)
                    ],
                    batch_size=5000,
                )
                added["series"] += len(series_ids)

        news_index = NewsIndexPage.objects.filter(locale=zh, region=None).order_by("depth").first()
        news_have = NewsPage.objects.filter(locale=zh).count()
        news_missing = lessons_wanted // 10 - news_have
        if news_missing > 0:
            rows = []
            for i in range(news_missing):
                region = rng.choice(regions)
                place = region.short_name or region.name
                rows.append(
                    (
                        f"{place}{rng.choice(titles)}工作简讯（{news_have + i}）",
                        _day(rng),
                        {
                            "summary": rng.choice(sentences)[:300],
                            "body": body(),
                            "region_id": region.pk,
                            "source": f"{region.name}远程办",
                        },
                    )
                )
            for row in rows:
                row[2]["date"] = row[1]
            ids = _bulk_pages(news_index, NewsPage, rows, f"gen-news-{news_have}")
            NewsPageTag.objects.bulk_create(
                [
                    NewsPageTag(content_object_id=pk, tag_id=rng.choice(topics))
                    for pk in ids
                    if rng.random() < 0.5
                ],
                batch_size=5000,
            )
            added["news"] = len(ids)

        library = PolicyIndexPage.objects.filter(locale=zh).first()
        policies_have = PolicyPage.objects.filter(locale=zh).count()
        policies_missing = lessons_wanted // 20 - policies_have
        if policies_missing > 0:
            rows = []
            for i in range(policies_missing):
                region = rng.choice(regions)
                day = _day(rng)
                number = f"浙远教{'通发函办'[i % 4]}〔{day.year}〕{policies_have + i + 1}号"
                rows.append(
                    (
                        f"关于{rng.choice(titles)}的{rng.choice(['通知', '意见', '方案'])}",
                        day,
                        {
                            "doc_type": rng.choice(PolicyPage.DocType.values),
                            "status": rng.choice(["in_force"] * 8 + ["amended", "repealed"]),
                            "issuer": f"{region.name}远程教育办公室",
                            "region_id": region.pk,
                            "doc_number": number,
                            "issue_date": day,
                            "summary": rng.choice(sentences)[:500],
                            "body": body(),
                        },
                    )
                )
            ids = _bulk_pages(library, PolicyPage, rows, f"gen-policy-{policies_have}")
            added["policies"] = len(ids)
    return time.perf_counter() - begun, added


# --- the addresses -----------------------------------------------------------------------


def url_pools(rng, judged):
    """{row name: [addresses]} of every public URL type, read from the filled site."""
    from django.db.models import Count
    from wagtail.models import Locale

    from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
    from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
    from pioneer.core import content_types, sitemap
    from pioneer.core.five_functions import FUNCTION_SLUGS, Function
    from pioneer.core.models import Region, Topic
    from pioneer.core.public import public_pages
    from schedule.models import Channel

    zh = Locale.objects.get(language_code="zh-hans")
    regions = list(Region.objects.filter(locale=zh).values_list("slug", flat=True))
    tags = list(
        Topic.objects.filter(locale=zh)
        .annotate(uses=Count("lessons_lessonpagetag_items"))
        .filter(uses__gt=0)
        .values_list("slug", flat=True)
    )
    functions = [f.value for f in Function]
    n = 400

    def sample(model, count=n):
        ids = list(public_pages(model, locale=zh).values_list("pk", flat=True))
        chosen = rng.sample(ids, min(count, len(ids)))
        return [page.url for page in model.objects.filter(pk__in=chosen)]

    def pages_of(index, count, per_page, extra=""):
        last = max(1, math.ceil(count / per_page))
        return index, last, [f"{index}?{extra}page={rng.randint(1, last)}" for _ in range(n)]

    lesson_index = LessonIndexPage.objects.get(locale=zh, function="")
    lesson_count = public_pages(LessonPage, locale=zh).count()
    function_indexes = {
        f: LessonIndexPage.objects.get(locale=zh, slug=FUNCTION_SLUGS[Function(f)])
        for f in functions
    }
    news_index = NewsIndexPage.objects.filter(locale=zh, region=None).order_by("depth").first()
    library = PolicyIndexPage.objects.filter(locale=zh).first()
    lesson_urls = sample(LessonPage)
    series_urls = sample(LessonSeriesPage, 200)
    news_count = public_pages(NewsPage, locale=zh).count()
    policy_count = public_pages(PolicyPage, locale=zh).count()

    pools = {"home": ["/zh-hans/"]}
    _i, last, pools["lesson index, deep pages"] = pages_of(
        lesson_index.url, lesson_count, LessonIndexPage.per_page
    )
    pools["function index, deep pages"] = []
    last_pages = [f"{lesson_index.url}?page={last}"]
    for f, index in function_indexes.items():
        count = public_pages(LessonPage, locale=zh).filter(function=f).count()
        _i, flast, urls = pages_of(index.url, count, LessonIndexPage.per_page)
        pools["function index, deep pages"] += urls[: n // len(functions)]
        last_pages.append(f"{index.url}?page={flast}")
    _i, nlast, pools["news index, deep pages"] = pages_of(
        news_index.url, news_count, NewsIndexPage.per_page
    )
    last_pages.append(f"{news_index.url}?page={nlast}")
    per_policy_page = getattr(PolicyIndexPage, "per_page", 20)
    _i, plast, pools["policy library, deep pages"] = pages_of(
        library.url, policy_count, per_policy_page
    )
    last_pages.append(f"{library.url}?page={plast}")
    pools["indexes, last page"] = last_pages
    pools["lesson index, function+region(+tag)"] = [
        f"{lesson_index.url}?"
        + urlencode(
            {"function": rng.choice(functions), "region": rng.choice(regions)}
            | ({"tag": rng.choice(tags)} if tags and rng.random() < 0.3 else {})
        )
        for _ in range(n)
    ]
    pools["function index, region filter"] = [
        f"{rng.choice(list(function_indexes.values())).url}?region={rng.choice(regions)}"
        for _ in range(n)
    ]
    pools["lesson"] = lesson_urls
    pools["series"] = series_urls
    pools["news"] = sample(NewsPage)
    pools["policy"] = sample(PolicyPage)
    years = list(range(FIRST_DAY.year, 2027))
    pools["policy library, filters"] = [
        f"{library.url}?"
        + urlencode(
            {
                k: v
                for k, v in (
                    ("type", rng.choice(PolicyPage.DocType.values)),
                    ("status", rng.choice(PolicyPage.Status.values)),
                    ("year", rng.choice(years)),
                )
                if rng.random() < 0.7
            }
        )
        for _ in range(n)
    ]
    queries = [item["query"] for item in judged]
    pools["search"] = [f"/zh-hans/search/?q={quote(q)}" for q in queries]
    pools["search, filters"] = [
        "/zh-hans/search/?"
        + urlencode(
            {"q": rng.choice(queries), "function": rng.choice(functions)}
            | ({"region": rng.choice(regions)} if rng.random() < 0.7 else {})
        )
        for _ in range(n)
    ]
    nonsense = [f"{rng.choice(['xq', 'zv', 'kj'])}{rng.randint(1000, 9999)}" for _ in range(n)]
    pools["search, zero results"] = [f"/zh-hans/search/?q={q}" for q in nonsense]
    titles = list(
        public_pages(LessonPage, locale=zh).order_by("?").values_list("title", flat=True)[:n]
    )
    pools["suggestions, hits"] = [
        f"/api/search/suggest/?q={quote(t[: rng.randint(2, 4)])}" for t in titles
    ]
    pools["suggestions, zero"] = [f"/api/search/suggest/?q={q}" for q in nonsense]
    feeds = [
        "/feeds/zh-hans/lessons/rss.xml",
        "/feeds/zh-hans/lessons/atom.xml",
        *(f"/feeds/zh-hans/lessons/{f}/rss.xml" for f in functions),
        "/feeds/zh-hans/news/rss.xml",
        "/feeds/zh-hans/news/atom.xml",
        "/feeds/zh-hans/policies/rss.xml",
        "/feeds/zh-hans/policies/atom.xml",
    ]
    pools["feeds (lessons, functions, news, policies)"] = feeds
    pools["feed of a region"] = [
        f"/feeds/zh-hans/{content_types.REGIONS}/{r}/rss.xml" for r in regions
    ]
    pools["API list"] = [
        "/api/v2/pages/?"
        + urlencode(
            {
                "type": rng.choice(["lessons.LessonPage", "news.NewsPage", "news.PolicyPage"]),
                "offset": rng.randint(0, lesson_count // 20),
                "limit": rng.choice([10, 20]),
            }
        )
        for _ in range(n)
    ]
    detail_ids = list(
        public_pages(LessonPage, locale=zh).order_by("?").values_list("pk", flat=True)[:n]
    )
    pools["API detail"] = [f"/api/v2/pages/{pk}/" for pk in detail_ids]
    pools["API search"] = [f"/api/search/?q={quote(q)}" for q in queries]
    pools["widget"] = [
        "/embed/lessons/?"
        + urlencode(
            {"category": rng.choice(functions)}
            | ({"region": rng.choice(regions)} if rng.random() < 0.5 else {})
        )
        for _ in range(n)
    ]
    pools["sitemap index"] = ["/sitemap.xml"]
    files = []
    for section in sitemap.section_types():
        count = len(sitemap.section_files(section))
        files += [f"/sitemap-{section}.xml?p={p}" for p in range(1, count + 1)]
    pools["sitemap file"] = files
    pools["offline pack (lesson)"] = [f"{u}offline/" for u in lesson_urls[:200]]
    pools["offline pack (series)"] = [f"{u}offline/" for u in series_urls]
    pools["notices"] = ["/zh-hans/notices/"]
    pools["notices feed"] = ["/feeds/zh-hans/notices/rss.xml"]
    pools["notices API"] = ["/api/notices/"] + [f"/api/notices/?region={r}" for r in regions]
    pools["notices include"] = [f"/_notices/zh-hans/{r}/" for r in regions]
    channels = list(Channel.objects.filter(locale=zh).values_list("slug", flat=True))
    pools["schedule"] = ["/zh-hans/schedule/"]
    pools["schedule channel"] = [f"/zh-hans/schedule/{c}/" for c in channels]
    pools["schedule .ics"] = [f"/feeds/zh-hans/schedule/{c}.ics" for c in channels]
    pools["region chooser"] = ["/zh-hans/region/"]
    pools["messages list"] = ["/zh-hans/messages/"]
    return pools


def spread(urls, count, rng):
    """``count`` addresses from ``urls``: each once in a random order while they last,
    then again with a throw-away ``_b`` parameter, so no two requests are the same."""
    urls = list(dict.fromkeys(urls))  # a repeat would be answered from what was kept
    chosen = rng.sample(urls, min(count, len(urls)))
    i = 0
    while len(chosen) < count:
        url = urls[i % len(urls)]
        chosen.append(f"{url}{'&' if '?' in url else '?'}_b={i}")
        i += 1
    return chosen


# --- the server and the requests ---------------------------------------------------------


def web(action, port, env):
    command = [str(ROOT / "deploy" / "local" / "web"), "app", action, "--port", str(port)]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"web app {action}: {result.stdout}{result.stderr}")


def server_env(database_url, search_url, port):
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "DEBUG", "CACHE_URL"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=database_url,
        SEARCH_URL=search_url,
        MEDIA_ROOT=str(STATE / "media"),
        WEB_HOME=str(STATE / "web"),
        PIONEER_QUERY_HEADER="1",
        RATE_LIMIT_API="",
        RATE_LIMIT_SEARCH="",
        RATE_LIMIT_SEARCH_LOG="",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


class Client:
    """One keep-alive connection to gunicorn, reopened when the server closes it."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def get(self, url):
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                started = time.perf_counter()
                self.connection.request("GET", url, headers={"X-Real-IP": "127.0.0.1"})
                response = self.connection.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            queries = response.getheader("X-Pioneer-Queries")
            return response.status, elapsed, int(queries) if queries else -1


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(client, pools, requests, warmup, rng, only):
    rows = []
    for name, urls in pools.items():
        if only and name not in only:
            continue
        if not urls:
            rows.append((name, 0, None))
            continue
        for url in rng.sample(urls, min(warmup, len(urls))):
            client.get(url)  # the process's per-generation lookups, the engine's caches
        times, queries, bad, asked = [], [], [], []
        for url in spread(urls, requests, rng):
            status, elapsed, count = client.get(url)
            if status != 200:
                bad.append((status, url))
            times.append(elapsed)
            queries.append(count)
            asked.append(url)
        rows.append((name, len(set(urls)), (times, queries, bad)))
        print_row(name, len(set(urls)), times, queries, bad)
        if percentile(times, 0.95) >= P95_TARGET_MS or max(queries) > QUERY_LIMIT:
            # Where to look: the slowest answer and the one with the most queries.
            slowest = max(range(len(times)), key=times.__getitem__)
            busiest = max(range(len(queries)), key=queries.__getitem__)
            print(f"{'':<8}slowest {times[slowest]:.0f} ms {asked[slowest]}")
            print(f"{'':<8}most queries {queries[busiest]} {asked[busiest]}")
    return rows


def print_row(name, distinct, times, queries, bad):
    p50, p95, p99 = (percentile(times, s) for s in (0.5, 0.95, 0.99))
    misses = []
    if p95 >= P95_TARGET_MS:
        misses.append("p95")
    if max(queries) > QUERY_LIMIT:
        misses.append("queries")
    if bad:
        misses.append(f"{len(bad)} not 200 ({bad[0][0]} {bad[0][1]})")
    mark = "MISS " + ", ".join(misses) if misses else "ok"
    print(
        f"{name:<42} {distinct:>6} {len(times):>5} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f} "
        f"{max(queries):>4} {mark}",
        flush=True,
    )


def header():
    print(
        f"{'URL type':<42} {'addrs':>6} {'reqs':>5} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'maxq':>4} verdict",
        flush=True,
    )


def load():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--database-url", required=True, help="postgres://… (role with CREATEDB)")
    parser.add_argument("--search-url", default="", help="opensearch://127.0.0.1:9200")
    parser.add_argument("--keep-data", action="store_true")
    parser.add_argument("--port", type=int, default=8491)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--only", default="", help="row names separated by '|'")
    args = parser.parse_args()

    database_url, reused = open_database(args.database_url, args.keep_data)
    setup_django(database_url, args.search_url, reused)
    from django.core.management import call_command
    from django.db import connection

    judged = json.loads((ROOT / "search" / "relevance_set.json").read_text(encoding="utf-8"))
    only = {name.strip() for name in args.only.split("|") if name.strip()}
    env = server_env(database_url, args.search_url, args.port)
    summary = []
    for size in (int(s) for s in args.sizes.split(",")):
        seconds, added = fill(size)
        print(f"== {size} lessons: fill {seconds:.0f} s ({added})", flush=True)
        state = read_state()
        if any(added.values()) or state.get("indexed") != [size, args.search_url]:
            started = time.perf_counter()
            call_command("update_index", verbosity=0)
            print(f"   update_index {time.perf_counter() - started:.0f} s", flush=True)
            state["indexed"] = [size, args.search_url]
            write_state(state)
        # The planner's statistics, as autovacuum would have them some time after the
        # fill: without them a four-row table (notices) is read by scanning every page.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rng = random.Random(size)
        pools = url_pools(rng, judged)
        # Offline packs built by an earlier run are files: gone, so each is built anew.
        shutil.rmtree(STATE / "media" / "offline-packs", ignore_errors=True)
        web("stop", args.port, env)  # a fresh Redis: nothing kept from another size
        web("start", args.port, env)
        try:
            print(f"   served by gunicorn on :{args.port}; load average {load():.1f}")
            header()
            rows = measure(Client(args.port), pools, args.requests, args.warmup, rng, only)
            print(f"   load average after: {load():.1f}")
        finally:
            web("stop", args.port, env)
        misses = [
            name
            for name, _d, data in rows
            if data
            and (
                percentile(data[0], 0.95) >= P95_TARGET_MS or max(data[1]) > QUERY_LIMIT or data[2]
            )
        ]
        summary.append(f"{size}: {len(rows) - len(misses)}/{len(rows)} rows met")
        if misses:
            summary[-1] += " (missed: " + ", ".join(misses) + ")"
    print("summary: " + "; ".join(summary))


if __name__ == "__main__":
    main()
