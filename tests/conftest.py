import io
import os
import shutil
import tempfile

import pytest

from tests.engine import engine  # noqa: F401 - the real OpenSearch node, for tests that ask

# Uploaded and generated files of the test run stay out of the project's media/.
_MEDIA = tempfile.mkdtemp(prefix="pioneer-test-media-")
os.environ["MEDIA_ROOT"] = _MEDIA
# Import uploads: a folder of their own, outside MEDIA_ROOT (tests/test_import_uploads.py).
_IMPORTS = tempfile.mkdtemp(prefix="pioneer-test-imports-")
os.environ["IMPORT_UPLOADS_ROOT"] = _IMPORTS
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_MEDIA, ignore_errors=True)
    shutil.rmtree(_IMPORTS, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo site, loaded once through the same command a newcomer runs."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open(os.devnull, "w"))


@pytest.fixture(autouse=True)
def _fresh_content_generation():
    """A test's rolled-back pages must not linger in the caches keyed on the content
    generation (rolling back sends no signal)."""
    from pioneer import content_cache

    content_cache.forget()


@pytest.fixture
def tree(db):
    from home.demo import build_site

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
    database is restored to its migrated state afterwards, and the demo loaded anew."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
