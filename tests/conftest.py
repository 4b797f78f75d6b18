import copy
import os
import shutil
import sqlite3
import tempfile

import pytest

from tests.support.engine import engine  # noqa: F401 - the real OpenSearch node, for tests that ask

# Uploaded and generated files of the test run stay out of the project's media/.
_MEDIA = tempfile.mkdtemp(prefix="pioneer-test-media-")
os.environ["MEDIA_ROOT"] = _MEDIA
# Import uploads: a folder of their own, outside MEDIA_ROOT
# (tests/content_io/test_import_uploads.py).
_IMPORTS = tempfile.mkdtemp(prefix="pioneer-test-imports-")
os.environ["IMPORT_UPLOADS_ROOT"] = _IMPORTS
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API


def pytest_configure(config):
    """Under pytest-xdist a worker reads Django's settings before it imports this file, from
    the environment it inherits from the controller, so both workers would share the
    controller's folders (and see each other's uploads): give each worker its own."""
    from django.conf import settings
    from django.test.utils import override_settings

    if settings.MEDIA_ROOT == _MEDIA:
        return
    storages = copy.deepcopy(settings.STORAGES)
    imports = storages.get("imports", {})
    if imports.get("BACKEND", "").endswith("FileSystemStorage"):
        imports["OPTIONS"]["location"] = _IMPORTS
    override_settings(MEDIA_ROOT=_MEDIA, STORAGES=storages).enable()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_MEDIA, ignore_errors=True)
    shutil.rmtree(_IMPORTS, ignore_errors=True)


# What a session's database holds: the demo (``load_demo``) if any selected test is marked
# ``demo``, else only the structure ``setup_site()`` makes (unit tests build what they need);
# ``--site`` forces either. Decided once, after collection and ``-m``, from the selected items,
# so every xdist worker (which collects and deselects the same items) decides alike.
SITE_CHOICES = ("auto", "demo", "structure")
_site_content = pytest.StashKey[str]()


def pytest_addoption(parser):
    parser.addoption(
        "--site",
        choices=SITE_CHOICES,
        default="auto",
        help="content of the test database: the demo, or only the structure setup_site() "
        "makes; auto (default): the demo if a selected test is marked demo",
    )


@pytest.hookimpl(tryfirst=True)  # before -m deselects, so `-m demo` sees the added marks
def pytest_collection_modifyitems(config, items):
    """Tests that ask for ``demo_site`` need the demo: mark them. Under
    ``--site=structure`` the demo tests are skipped, not run on content they do not have."""
    structure = config.getoption("--site") == "structure"
    for item in items:
        if "demo_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.demo)
        if structure and item.get_closest_marker("demo"):
            item.add_marker(pytest.mark.skip(reason="needs the demo: run without --site=structure"))


def site_content(session):
    """ "demo" or "structure": what this session's test database holds."""
    config = session.config
    if _site_content not in config.stash:
        forced = config.getoption("--site")
        if forced != "auto":
            config.stash[_site_content] = forced
        else:
            demo = any(item.get_closest_marker("demo") for item in session.items)
            config.stash[_site_content] = "demo" if demo else "structure"
    return config.stash[_site_content]


def pytest_report_header(config):
    forced = config.getoption("--site")
    if forced != "auto":
        return f"site content: {forced} (--site={forced})"
    return "site content: auto (the demo if a selected test is marked demo, else the structure)"


def pytest_report_collectionfinish(config, items):
    if not items:  # an xdist controller collects nothing: its workers report at the end
        return None
    return f"site content: {site_content(items[0].session)}"


def pytest_collection_finish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: tell the controller what it decided
        workeroutput["site_content"] = site_content(session) if session.items else "none"


_workers_content = {}


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's, on the controller
def pytest_testnodedown(node, error):
    content = getattr(node, "workeroutput", {}).get("site_content")
    if content:
        _workers_content[node.gateway.id] = content


def pytest_terminal_summary(terminalreporter, config):
    workers = _workers_content
    if workers:
        terminalreporter.write_line(
            "site content: " + ", ".join(f"{n} {c}" for n, c in sorted(workers.items()))
        )


def _load(content):
    from django.core.management import call_command

    from pioneer.site_setup import setup_site

    if content == "demo":
        call_command("load_demo", stdout=open(os.devnull, "w"))
    else:
        setup_site()


# The session's content, copied whole when the suite runs on SQLite: ``demo_site`` and
# ``site_structure`` put it back in milliseconds instead of loading it again (the demo:
# about 50 s a test).
_session_snapshot = None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request):
    from tests.support import demo_snapshot

    demo_snapshot.skip_migrations(site_content(request.session))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The session's content (``site_content``): the demo loaded through the same command a
    newcomer runs, or the structure alone; once per CI run when .ci/run sets
    PIONEER_DEMO_SNAPSHOT (tests/support/demo_snapshot.py)."""
    global _session_snapshot
    from django.db import connection

    from tests.support import demo_snapshot

    content = site_content(request.session)
    with django_db_blocker.unblock():
        demo_snapshot.load_once(content, lambda: _load(content))
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            _session_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(_session_snapshot)


@pytest.fixture(autouse=True)
def _fresh_content_generation():
    """A test's rolled-back pages must not linger in the caches keyed on the content
    generation (rolling back sends no signal)."""
    from pioneer.caching import generation

    generation.forget()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test starts with no request counted against its address: the test client is
    always 127.0.0.1, and a worker that runs many API tests within a minute would otherwise
    meet the API's limit (429) in whichever test comes after. The counts live in the cache
    (django-ratelimit), so the process's own cache is emptied; a shared one (Redis) is left
    to the tests that use it."""
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's default language. Django's LocaleMiddleware activates
    a request's language and nothing puts it back, so after a test that asked for an English
    page, the next test on that worker would otherwise render, write and report in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _live_server_answers_one_request_at_a_time():
    """Before any live server starts (tests/support/live_server.py says why)."""
    from tests.support.live_server import use_for_live_server

    use_for_live_server()


@pytest.fixture(autouse=True)
def _site_url_is_the_live_server(request):
    """Links partners copy name SITE_URL whatever host was asked (pioneer.core.addresses.
    public_url): with a live server, that is the address the browser reaches."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("settings").SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture
def tree(db):
    from pioneer.demo.loader import build_site

    return build_site()


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "s3cret-Pass!")


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()
        # Playwright's sync API runs an event loop in this thread, so asgiref gave the test
        # its own database connections (as in async code): close them, or they outlive the
        # test and PostgreSQL refuses to drop the test database.
        from django.db import connections

        connections.close_all()


def _put_back_session_content(content):
    """After a transactional test: the session's content back, from the SQLite copy (its
    full-text tables too) or loaded anew."""
    from django.core.cache import cache
    from django.db import connection

    from pioneer.caching import generation

    if _session_snapshot is not None:
        connection.ensure_connection()
        _session_snapshot.backup(connection.connection)
        cache.clear()  # Wagtail's site root paths and our fragments name the old rows
        generation.forget()
    else:
        _load(content)


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback):
    """Browser tests run against a live server, outside the test transaction; the
    database is restored to its migrated state afterwards, and the demo put back: on
    SQLite the whole database (its full-text tables too) from the session's copy, else
    loaded anew. Its users are marked ``demo`` (pytest_collection_modifyitems)."""
    _put_back_session_content("demo")


@pytest.fixture
def site_structure(transactional_db, django_db_serialized_rollback, request):
    """``demo_site`` for tests that need only the structure: the session's content put
    back (whichever it is) after an earlier transactional test flushed it."""
    _put_back_session_content(site_content(request.session))
