"""Which service an exception says is down (the database or the media storage): read by
the 503 page, the offline packs and the picture links, so a content app needs no view."""

from django.db import InterfaceError, OperationalError

try:  # the S3 client, installed with django-storages[s3]
    from botocore.exceptions import ClientError as _S3ClientError
    from botocore.exceptions import ConnectionError as _S3ConnectionError
    from botocore.exceptions import HTTPClientError as _S3HTTPClientError

    _S3_UNREACHABLE = (_S3ConnectionError, _S3HTTPClientError)
except ImportError:  # pragma: no cover - botocore ships with the site's dependencies
    _S3ClientError, _S3_UNREACHABLE = None, ()

# The object store does not answer: refused or dropped connections, time-outs (S3's
# client raises its own classes for these, most of them not OSError).
STORAGE_ERRORS = _S3_UNREACHABLE


def _chain(exc):
    """The exception and those it was raised from or while handling, each once."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def storage_unavailable(exc):
    """True when ``exc`` means the media storage did not answer (or answered 5xx)."""
    if isinstance(exc, STORAGE_ERRORS):
        return True
    if _S3ClientError is not None and isinstance(exc, _S3ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500
    return False


def outage(exc):
    """Which service ``exc`` says is down: ``"database"``, ``"storage"`` or None (a bug)."""
    for link in _chain(exc):
        if isinstance(link, (OperationalError, InterfaceError)):
            return "database"
        if storage_unavailable(link):
            return "storage"
    return None
