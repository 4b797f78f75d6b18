"""The site's URLs plus views that meet a real outage: a database that cannot be opened,
an object store nobody listens for. tests/ops/test_unavailable.py routes requests here."""

import socket

from botocore.config import Config
from django.db.utils import ConnectionHandler
from django.urls import path
from storages.backends.s3 import S3Storage

from pioneer.urls import handler500  # noqa: F401
from pioneer.urls import urlpatterns as site_urlpatterns


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_database():
    """A database connection that fails to open, as PostgreSQL's does when it is down."""
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/nonexistent/db.sqlite3"}}
    )
    return handler["default"]


def unreachable_storage():
    return S3Storage(
        bucket_name="pioneer-media",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        access_key="test",
        secret_key="test-secret",
        region_name="us-east-1",
        client_config=Config(connect_timeout=1, retries={"max_attempts": 1}),
    )


def database_down(request):
    unreachable_database().ensure_connection()


def bug_over_database_error(request):
    try:
        unreachable_database().ensure_connection()
    except Exception as error:
        raise RuntimeError("the page could not be built") from error


def storage_down(request):
    unreachable_storage().exists("offline-packs/x.zip")


def plain_bug(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("outage/database/", database_down),
    path("outage/chained/", bug_over_database_error),
    path("outage/storage/", storage_down),
    path("outage/bug/", plain_bug),
    path("api/outage/", database_down),
    *site_urlpatterns,
]
