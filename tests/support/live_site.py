"""The site in production shape for tests: gunicorn behind nginx with its page cache
(``deploy/local/web`` on a throw-away SQLite database and media folder), or with
``FULL_STACK=1`` the whole ``deploy/local/stack`` (PostgreSQL, Redis, OpenSearch, the S3
object store, the task worker). ``LIVE_SITE_PORT`` fixes the port (the purge listener
takes the next one); otherwise free ones are picked.
"""

import atexit
import http.cookiejar
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "deploy" / "local" / "web"
STACK = ROOT / "deploy" / "local" / "stack"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


_migrated = None  # a SQLite database migrated once per test session, copied for each site


def migrated_sqlite(target, env):
    """Put a freshly migrated SQLite database at ``target``: migrated once per session by
    ``manage.py migrate`` (half a minute), then copied for every site that needs one."""
    global _migrated
    if _migrated is None:
        folder = Path(tempfile.mkdtemp(prefix="pioneer-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "db.sqlite3"
        manage(dict(env, DATABASE_URL=f"sqlite:///{template}"), "migrate", "--noinput", "-v0")
        _migrated = template
    shutil.copyfile(_migrated, target)  # migrate's connection closed: no WAL left over


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_site(extra_env=None):
    """Start the site, yield ``{"base", "env"}``, stop it whatever happens."""
    workdir = Path(tempfile.mkdtemp(prefix="pioneer-stack-"))
    if os.environ.get("FULL_STACK") == "1":
        base = int(os.environ.get("STACK_BASE", "18100"))
        env = dict(os.environ, STACK_BASE=str(base), WEB_HOME=str(workdir / "web"))
        env.update(extra_env or {})
        subprocess.run([str(STACK), "up"], env=env, check=True, timeout=900)
        exported = subprocess.run(
            [str(STACK), "env"], env=env, check=True, capture_output=True, text=True
        ).stdout
        for line in exported.splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'\"")
        port, stop = base, [str(STACK), "down"]
    else:
        fixed = os.environ.get("LIVE_SITE_PORT")
        port = int(fixed) if fixed else free_port()
        env = dict(
            os.environ,
            WEB_HOME=str(workdir / "web"),
            DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
            MEDIA_ROOT=str(workdir / "media"),
            PURGE_PORT=str(port + 1 if fixed else free_port()),
            SITE_URL=f"http://127.0.0.1:{port}",
            WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{port}",
        )
        # What deploy/local/web gives gunicorn, so that ``shell`` purges as the site does.
        env["FRONTEND_CACHE_PURGE_URL"] = f"http://127.0.0.1:{env['PURGE_PORT']}"
        for name in ("SEARCH_ENGINE_URL", "SEARCH_URL", "MEDIA_STORAGE", "CACHE_URL"):
            env.pop(name, None)
        env.update(extra_env or {})
        migrated_sqlite(workdir / "db.sqlite3", env)
        subprocess.run([str(WEB), "start", "--port", str(port)], env=env, check=True, timeout=600)
        # The Redis deploy/local/web started for gunicorn: ``shell`` commands share the
        # site's cache (the content generation lives there), as every process does.
        env["CACHE_URL"] = f"redis://{workdir / 'web'}/run/redis.sock"
        stop = [str(WEB), "stop"]
    try:
        yield {"base": f"http://127.0.0.1:{port}", "env": env}
    finally:
        subprocess.run(stop, env=env, check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def manage(env, *args):
    """``manage.py`` on the live site's database; its standard output."""
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def shell(site, code):
    """Python run by ``manage.py shell`` against the live site; its last line of output."""
    return manage(site["env"], "shell", "-c", code).strip().splitlines()[-1]


QUEUED = """
from django_tasks_db.models import DBTaskResult
print(DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count())
"""


def wait_for_idle_tasks(site, seconds=120):
    """The number of background tasks still queued or running, once it is 0 or time is up
    (always 0 with the embedded setup's immediate backend)."""
    deadline = time.monotonic() + seconds
    while (queued := shell(site, QUEUED)) != "0" and time.monotonic() < deadline:
        time.sleep(1)
    return queued


def settled_shell(site, code):
    """``shell``, then wait until the background tasks its saves queued (indexing, purges)
    are done: on the full stack the worker runs them a moment later, and a purge landing
    after a test's first fetch would turn the HIT it expects into a MISS."""
    out = shell(site, code)
    assert wait_for_idle_tasks(site) == "0", "background tasks still queued"
    return out


def fetch(url, cookie=None):
    """An anonymous GET (or with ``cookie``): the cache status and the body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Cache-Status"), response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_anonymous = urllib.request.build_opener(_NoRedirect)


def get(url):
    """(status, content type, body, Location) without following redirects or keeping cookies."""
    try:
        response = _anonymous.open(url, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        content_type, location = (
            response.headers.get("Content-Type", ""),
            response.headers.get("Location"),
        )
        return response.status, content_type, response.read(), location


class AdminSession:
    """An editor logged in to the admin over HTTP, posting forms with their CSRF token."""

    def __init__(self, base, username, password):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        self.post("/admin/login/", {"username": username, "password": password}, expect=302)

    def _token(self):
        """The CSRF cookie: set by the login form, renewed by logging in (kept either way)."""
        if not any(cookie.name == "csrftoken" for cookie in self.jar):
            self.opener.open(self.base + "/admin/login/", timeout=30).read()
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def post(self, path, data, expect=302):
        fields = dict(data, csrfmiddlewaretoken=self._token())
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, "Origin": self.base}
        )
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            assert response.status == expect, (path, response.status, response.read()[:2000])
            return response.read()
