import copy
import io
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


# The loaded demo, copied whole when the suite runs on SQLite: ``demo_site`` puts it back
# in milliseconds instead of loading it again (about 50 s a test).
_demo_snapshot = None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    from tests.support import demo_snapshot

    demo_snapshot.skip_migrations()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo site, loaded once through the same command a newcomer runs (once per CI
    run when .ci/run sets PIONEER_DEMO_SNAPSHOT: tests/support/demo_snapshot.py)."""
    global _demo_snapshot
    from django.core.management import call_command
    from django.db import connection

    from tests.support import demo_snapshot

    with django_db_blocker.unblock():
        demo_snapshot.load_once(lambda: call_command("load_demo", stdout=open(os.devnull, "w")))
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(_demo_snapshot)


@pytest.fixture(autouse=True)
def _fresh_content_generation():
    """A test's rolled-back pages must not linger in the caches keyed on the content
    generation (rolling back sends no signal)."""
    from pioneer.caching import generation

    generation.forget()


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


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback):
    """Browser tests run against a live server, outside the test transaction; the
    database is restored to its migrated state afterwards, and the demo put back: on
    SQLite the whole database (its full-text tables too) from the session's copy, else
    loaded anew."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from pioneer.caching import generation

    if _demo_snapshot is not None:
        connection.ensure_connection()
        _demo_snapshot.backup(connection.connection)
        cache.clear()  # Wagtail's site root paths and our fragments name the old rows
        generation.forget()
    else:
        call_command("load_demo", stdout=io.StringIO())
