"""Services fail and come back while learners and an editor use the site (issue 11).

With ``FULL_STACK=1`` this starts ``deploy/local/stack`` (PostgreSQL, Redis, OpenSearch,
the S3 object store, the task worker, gunicorn with 2 workers behind nginx and its page
cache), runs a bounded background load (tests/support/fault_load.py) through nginx, straight to
gunicorn and from the store, and stops then restarts, one at a time, the search engine,
the cache, the object store and PostgreSQL; last it stops gunicorn itself. For each phase
it checks that what does not need the stopped service still answers 200, that what does
answers a friendly 503 (never a 500, a traceback or nginx's bare error), that an
editor's publish during the engine and cache outages is kept, purged from nginx and
found by the engine afterwards, and that everything answers 200 again after each restart
without restarting gunicorn, nginx or the worker. It prints failed/total requests per
phase, route and kind of URL.

``FAULT_PHASE_SECONDS`` (default 5, CI's short form) is how long the load runs in each
outage and after each recovery; ``FAULT_PHASE_SECONDS=60`` is the long local form.
``STACK_BASE`` (default 18200) places the stack's six ports. Every service is started
again even when a check fails, and the stack is stopped at the end.
"""

import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support.fault_load import Load, Target, classify, wait_for

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "deploy" / "local"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Fault-test-pass-1"
PHASE_SECONDS = float(os.environ.get("FAULT_PHASE_SECONDS", "5"))
CLIENTS = int(os.environ.get("FAULT_LOAD_CLIENTS", "3"))

pytestmark = [
    pytest.mark.fullstack,
    pytest.mark.skipif(
        os.environ.get("FULL_STACK") != "1",
        reason="needs the whole production shape: FULL_STACK=1 (deploy/local/stack)",
    ),
]

SEED = """
import json
from pioneer.demo.media import make_cover
from django.contrib.auth import get_user_model
from wagtail.rich_text import RichText
from pioneer.demo.loader import build_site
from pioneer.editorial.role_setup import setup_roles
from tests.support.factories import make_document, make_lesson
run = "%(run)s"
tree = build_site()
setup_roles(tree["locale"])
image = make_cover("故障演练配图" + run, "skills", 7)
handout = make_document(
    "故障演练讲义" + run, b"%%PDF-1.4 fault drill " + run.encode(), "fault.pdf"
)
media = make_lesson(
    "故障演练图文课程" + run,
    slug="guzhang-tuwen-" + run,
    cover=image,
    body=[
        ("paragraph", RichText("<p>图文课程的正文。</p>")),
        ("image", {"image": image, "alt": "示意图", "caption": "田间示意图"}),
        ("attachment", {"document": handout, "title": "课程讲义"}),
    ],
)
editable = [
    make_lesson("故障演练课程" + name + run, slug="guzhang-" + slug + "-" + run)
    for name, slug in (("甲", "jia"), ("乙", "yi"))
]
get_user_model().objects.create_superuser("fault-admin-" + run, "fault@example.org", "%(password)s")

def fields(page):
    return {
        "pk": page.pk, "url": page.url, "title": page.title, "slug": page.slug,
        "summary": page.summary, "function": page.function, "region_id": page.region_id,
        "date": page.date.isoformat(), "producer": page.producer, "audience": page.audience,
        "duration_minutes": page.duration_minutes,
    }

print(json.dumps({
    "media": fields(media),
    "editable": [fields(page) for page in editable],
    "index": media.get_parent().url,
    "document": handout.url,
}))
"""


# --- the stack --------------------------------------------------------------------------


def run_script(name, *args, env, timeout=300):
    return subprocess.run(
        [str(LOCAL / name), *args], env=env, check=True, timeout=timeout, capture_output=True
    )


class Services:
    """Stops and starts the stack's services with the project's own scripts."""

    def __init__(self, base, env):
        self.env = env
        self.ports = {
            "postgres": base + 2,
            "redis": base + 3,
            "opensearch": base + 4,
            "objectstore": base + 5,
        }
        self.stopped = set()

    def stop(self, name):
        self.stopped.add(name)
        run_script(name, "stop", env=self.env)

    def start(self, name):
        run_script(name, "start", "--port", str(self.ports[name]), env=self.env, timeout=600)
        self.stopped.discard(name)

    def restore(self):
        """Start whatever a failed phase left stopped."""
        for name in list(self.stopped):
            self.start(name)


@pytest.fixture(scope="module")
def stack(request):
    base = int(os.environ.get("STACK_BASE", "18200"))
    workdir = Path(tempfile.mkdtemp(prefix="pioneer-faults-"))
    web_home = workdir / "web"
    run_id = secrets.token_hex(3)
    env = dict(
        os.environ,
        STACK_BASE=str(base),
        WEB_HOME=str(web_home),
        # The load asks for search and the API far faster than one learner may.
        RATE_LIMIT_API="100000/m",
        RATE_LIMIT_SEARCH="100000/m",
    )
    script = str(LOCAL / "stack")
    failed_before = request.session.testsfailed
    try:
        subprocess.run([script, "up"], env=env, check=True, timeout=900)
        exported = subprocess.run(
            [script, "env"], env=env, check=True, capture_output=True, text=True
        ).stdout
        for line in exported.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'\"")
        seeded = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", SEED % {"run": run_id, "password": PASSWORD}],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(seeded.stdout.strip().splitlines()[-1])
        _wait_for_the_task_queue(env)
        yield SimpleNamespace(
            base=f"http://127.0.0.1:{base}",
            host=f"127.0.0.1:{base}",
            socket=str(web_home / "run" / "gunicorn.sock"),
            gunicorn_pid=web_home / "run" / "gunicorn.pid",
            store=env["S3_ENDPOINT_URL"].rstrip("/"),
            services=Services(base, env),
            admin="fault-admin-" + run_id,
            run=run_id,
            env=env,
            **info,
        )
    finally:
        subprocess.run([script, "down"], env=env, check=False, timeout=300)
        if request.session.testsfailed == failed_before:  # else keep nginx's, gunicorn's logs
            shutil.rmtree(workdir, ignore_errors=True)


DRAINED = """
import time
from django_tasks_db.models import DBTaskResult
for _ in range(480):
    if not DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).exists():
        print("drained")
        break
    time.sleep(0.25)
"""


def _wait_for_the_task_queue(env):
    """The seed's pages reach the reference index (which makes their pictures public)
    through the task worker: the load starts once the worker has done what the seed
    queued, as a learner would meet the site a little after it was published."""
    drained = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", DRAINED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "drained" in drained.stdout, "the task worker left the seed's tasks undone"


# --- plain HTTP, as a learner and as an editor -------------------------------------------


def get(url, headers=None, timeout=20):
    """(status, headers, body text) of a GET that does not follow redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    """An editor in the Wagtail admin over HTTP: cookies, CSRF tokens and form posts."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )

    def _open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def _csrf(self, path):
        status, _headers, body = self._open(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def log_in(self, username):
        token = self._csrf("/admin/login/")
        status, headers, _body = self._open(
            "/admin/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        return status == 302 and headers["Location"].endswith("/admin/")

    def publish(self, page, title):
        """Post the lesson's edit form with a new title and the publish action."""
        from tests.support.editorial import lesson_form

        token = self._csrf(f"/admin/pages/{page['pk']}/edit/")
        lesson = SimpleNamespace(**{**page, "date": datetime.date.fromisoformat(page["date"])})
        data = lesson_form(lesson, action="action-publish", title=title)
        data["csrfmiddlewaretoken"] = token
        status, headers, body = self._open(f"/admin/pages/{page['pk']}/edit/", data)
        assert status == 302, (status, re.findall(r'class="error-message">([^<]+)', body))
        return headers["Location"]


# --- the checks ---------------------------------------------------------------------------


class Problems(list):
    def check(self, condition, message):
        if not condition:
            self.append(message)
        return condition


def phase_load(load, phase, seconds=PHASE_SECONDS):
    load.enter(phase)
    time.sleep(seconds)


def healthz(stack):
    status, _headers, body = get(stack.base + "/healthz")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"raw": body[:200]}


def healthy(stack):
    return healthz(stack)[0] == 200


def down_in_health(stack, part):
    """/healthz answers 503 naming ``part`` as down and every other part as up."""
    status, data = healthz(stack)
    checks = data.get("checks", {})
    others_up = all(check["ok"] for name, check in checks.items() if name != part)
    return status == 503 and checks.get(part, {}).get("ok") is False and others_up


def api_search(stack, query):
    status, _headers, body = get(
        stack.base + "/api/search/?" + urllib.parse.urlencode({"q": query})
    )
    return json.loads(body) if status == 200 else {"status": status}


def found_by(stack, query, pk, backend):
    data = api_search(stack, query)
    ids = [hit["id"] for hit in data.get("results", [])]
    return data.get("backend") == backend and pk in ids


def learner_sees(stack, url, text):
    """An anonymous learner gets ``text`` at ``url`` through nginx's cache."""
    return text in get(stack.base + url)[2]


def outcomes_only(load, phase, allowed, **where):
    counter = load.outcomes(phase, **where)
    return sum(counter.values()) > 0 and set(counter) <= set(allowed), dict(counter)


def targets(stack, image_url):
    media, (first, second) = stack.media, stack.editable
    pages = [
        "/zh-hans/",
        "/zh-hans/lessons/",
        stack.index,
        media["url"],
        first["url"],
        second["url"],
        "/zh-hans/news/",
        "/zh-hans/policies/",
    ]
    found = [
        "/zh-hans/search/?q=%E6%95%85%E9%9A%9C%E6%BC%94%E7%BB%83",  # 故障演练
        "/zh-hans/search/?q=" + stack.run,
    ]
    feeds = ["/feeds/zh-hans/lessons/rss.xml", "/feeds/zh-hans/lessons/atom.xml"]
    apis = [
        "/api/search/?q=%E6%95%85%E9%9A%9C%E6%BC%94%E7%BB%83",
        "/api/v2/pages/?type=lessons.LessonPage&limit=5",
        f"/api/v2/pages/{media['pk']}/",
    ]
    listed = []
    for via in ("nginx", "gunicorn"):
        listed += [Target("page", url, via) for url in pages]
        listed += [Target("search", url, via) for url in found]
        listed += [Target("feed", url, via) for url in feeds]
        listed += [Target("api", url, via) for url in apis]
        listed.append(Target("media", stack.document, via, follow=True))
        listed.append(Target("health", "/healthz", via))
    # Learners nginx never serves from its cache: data saver and elder mode.
    listed.append(Target("page", media["url"], "nginx", headers=(("Save-Data", "on"),)))
    listed.append(Target("page", first["url"], "nginx", headers=(("Cookie", "mode=elder"),)))
    listed.append(Target("media", image_url, "store"))
    return listed


def test_services_fail_and_recover_under_load(stack, capsys):
    problems = Problems()
    media_page = get(stack.base + stack.media["url"])[2]
    # Pages link pictures through the site, which redirects to a signed URL of the store
    # (pioneer.http.media): the load asks the store for it directly.
    picture = re.search(r'src="(/media/images/[^"]+)"', media_page).group(1)
    status, headers, _body = get(stack.base + picture)
    image_url = headers.get("Location", "")
    assert status == 302 and image_url.startswith(stack.store), (status, image_url)
    load = Load(
        targets(stack, image_url),
        nginx=stack.base,
        gunicorn_socket=stack.socket,
        host=stack.host,
        clients=CLIENTS,
    )
    editor = Editor(stack.base)
    services = stack.services
    first, second = stack.editable
    # Each change carries a word of its own that search must find (kept whole by
    # segmentation, shared with no other page).
    engine_word, cache_word, database_word = (f"{p}{stack.run}" for p in ("eng", "cch", "pgs"))
    engine_title = f"引擎停机期间发布 {engine_word}"
    cache_title = f"缓存停机期间发布 {cache_word}"
    database_title = f"数据库恢复之后发布 {database_word}"
    started = time.monotonic()
    try:
        with load:
            phase_load(load, "baseline")
            problems.check(healthy(stack), "baseline: /healthz is not 200")
            problems.check(editor.log_in(stack.admin), "baseline: the editor could not log in")

            # --- the search engine -----------------------------------------------------
            load.enter("engine stopping")
            services.stop("opensearch")
            phase_load(load, "engine down")
            problems.check(down_in_health(stack, "search"), "engine down: /healthz")
            # nginx keeps answers it was given before the outage (served as they are): a
            # query nobody asked before reaches the site, which answers from the database.
            fresh_query = urllib.parse.quote(f"{stack.run} 停机")
            status, _h, body = get(stack.base + "/zh-hans/search/?q=" + fresh_query)
            problems.check(
                status == 200 and "搜索服务暂时受限" in body,
                "engine down: the search page does not say it is limited",
            )
            editor.publish(first, engine_title)
            problems.check(
                wait_for(lambda: learner_sees(stack, first["url"], engine_title), 20),
                "engine down: the learner does not see the published change (purge)",
            )
            problems.check(
                wait_for(lambda: found_by(stack, engine_word, first["pk"], "database"), 20),
                "engine down: the database backend does not find the published change",
            )
            load.enter("engine starting")
            services.start("opensearch")
            load.enter("engine recovering")
            problems.check(wait_for(lambda: healthy(stack), 30), "engine back: /healthz not 200")
            phase_load(load, "engine back")
            problems.check(
                wait_for(lambda: found_by(stack, engine_word, first["pk"], "opensearch"), 30),
                "engine back: the engine does not find the change made while it was down",
            )

            # --- the cache -----------------------------------------------------------------
            load.enter("cache stopping")
            services.stop("redis")
            phase_load(load, "cache down")
            problems.check(down_in_health(stack, "cache"), "cache down: /healthz")
            status, _h, _b = editor._open("/admin/")
            problems.check(status == 200, f"cache down: the editor's session gives {status}")
            problems.check(Editor(stack.base).log_in(stack.admin), "cache down: a new login fails")
            editor.publish(second, cache_title)
            problems.check(
                wait_for(lambda: learner_sees(stack, second["url"], cache_title), 20),
                "cache down: the learner does not see the published change (purge)",
            )
            load.enter("cache starting")
            services.start("redis")
            load.enter("cache recovering")
            problems.check(wait_for(lambda: healthy(stack), 30), "cache back: /healthz not 200")
            phase_load(load, "cache back")
            problems.check(
                wait_for(lambda: found_by(stack, cache_word, second["pk"], "opensearch"), 30),
                "cache back: the engine does not find the change made while the cache was down",
            )

            # --- the object store -------------------------------------------------------------
            load.enter("store stopping")
            services.stop("objectstore")
            phase_load(load, "store down")
            problems.check(down_in_health(stack, "storage"), "store down: /healthz")
            pack = load.request(Target("page", stack.media["url"] + "offline/", "gunicorn"))
            problems.check(
                classify(*pack) == "503 page",
                f"store down: the offline pack gives {classify(*pack)}, not the 503 page",
            )
            load.enter("store starting")
            services.start("objectstore")
            load.enter("store recovering")
            problems.check(wait_for(lambda: healthy(stack), 30), "store back: /healthz not 200")
            phase_load(load, "store back")

            # --- PostgreSQL --------------------------------------------------------------------
            load.enter("database stopping")
            services.stop("postgres")
            phase_load(load, "database down")
            problems.check(down_in_health(stack, "database"), "database down: /healthz")
            fresh = stack.index + "?fault=" + secrets.token_hex(4)  # never cached by nginx
            for via in ("nginx", "gunicorn"):
                answer = load.request(Target("page", fresh, via))
                problems.check(
                    classify(*answer) == "503 page" and answer[1]["Retry-After"] == "30",
                    f"database down: an uncached page via {via} gives {classify(*answer)}",
                )
            load.enter("database starting")
            services.start("postgres")
            load.enter("database recovering")
            problems.check(wait_for(lambda: healthy(stack), 30), "database back: /healthz not 200")
            # The worker lived through the outage: a publish now is purged and indexed (and
            # the load caches the purged pages again before gunicorn is stopped below).
            load.enter("database back")
            editor.publish(first, database_title)
            problems.check(
                wait_for(lambda: learner_sees(stack, first["url"], database_title), 20),
                "database back: the worker does not purge a new publish",
            )
            problems.check(
                wait_for(lambda: found_by(stack, database_word, first["pk"], "opensearch"), 30),
                "database back: the engine does not find a new publish",
            )
            phase_load(load, "database back")

            # --- gunicorn itself (last: the stack is stopped after it) ---------------------
            load.enter("app server stopping")
            pid = int(stack.gunicorn_pid.read_text())
            os.kill(pid, signal.SIGTERM)
            wait_for(lambda: not Path(stack.socket).exists(), 30)
            phase_load(load, "app server down")
            answer = load.request(Target("page", stack.index + "?fault=app", "nginx"))
            problems.check(
                classify(*answer) == "503 page" and answer[1]["Retry-After"] == "30",
                f"app server down: an uncached page gives {classify(*answer)}",
            )
    finally:
        services.restore()
        with capsys.disabled():
            print(
                f"\nfault phases ({PHASE_SECONDS:g} s each, {CLIENTS} clients), "
                f"{time.monotonic() - started:.0f} s in all; load average {os.getloadavg()}"
            )
            print(load.table())
            logs = Path(stack.socket).parent.parent / "logs"
            print(f"logs: {logs} (removed unless a test failed)")

    # What the load saw in each phase.
    for phase in ("baseline", "engine back", "cache back", "store back", "database back"):
        good, seen = outcomes_only(load, phase, {"200"})
        problems.check(good, f"{phase}: not everything answered 200: {seen}")
    for phase, needs in (("engine down", ()), ("cache down", ()), ("store down", ("media",))):
        for kind in ("page", "search", "feed", "api", "media"):
            if kind not in needs:
                good, seen = outcomes_only(load, phase, {"200"}, kind=kind)
                problems.check(good, f"{phase}: {kind} did not all answer 200: {seen}")
        good, seen = outcomes_only(load, phase, {"503 json"}, kind="health")
        problems.check(good, f"{phase}: /healthz answered {seen}")
    media = load.outcomes("store down", kind="media")
    problems.check(
        sum(n for outcome, n in media.items() if outcome != "200") > 0,
        f"store down: no media request failed, was the store down? {dict(media)}",
    )
    good, seen = outcomes_only(load, "database down", {"200", "503 page", "503 json"})
    problems.check(good, f"database down: other than 200 or a friendly 503: {seen}")
    cached = load.outcomes("database down", kind="page", via="nginx").get("200", 0)
    problems.check(cached > 0, "database down: nginx served no page from its cache")
    # Straight to gunicorn, whatever needs the database is a friendly 503. What a worker can
    # answer for the current content generation without it may still come: API answers the
    # site keeps in Redis, and a page whose route and fragments the worker already holds
    # (the home page's route memo, pioneer.caching.generation), which is the current page.
    for kind, allowed, failed in (
        ("page", {"503 page", "200"}, "503 page"),
        ("search", {"503 page"}, "503 page"),
        ("api", {"503 json", "200"}, "503 json"),
    ):
        good, seen = outcomes_only(load, "database down", allowed, kind=kind, via="gunicorn")
        problems.check(good, f"database down: gunicorn's {kind} answered {seen}")
        answered = load.outcomes("database down", kind=kind, via="gunicorn")
        problems.check(
            answered.get(failed, 0) > 0, f"database down: no {kind} needed it? {answered}"
        )
    good, seen = outcomes_only(load, "app server down", {"200", "503 page"}, via="nginx")
    problems.check(good, f"app server down: nginx answered {seen}")
    cached = load.outcomes("app server down", kind="page", via="nginx").get("200", 0)
    problems.check(cached > 0, "app server down: nginx served no page from its cache")

    assert not problems, "\n".join(problems)
