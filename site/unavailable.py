"""A service the site depends on is down: answer 503 with a friendly page, not a 500.

Django sends any uncaught exception, raised in a view or in a middleware, to the
``handler500`` view. When the exception, or one it was raised from, says that the
database or the media storage does not answer, the failure is temporary and not a bug:
the learner gets the site's own "try again shortly" page with ``503`` and ``Retry-After``
(nginx then serves its last good copy of a cached page instead, see
``proxy_cache_use_stale``), partners calling the API get JSON. The page is rendered
without a request context, so nothing on it touches the database that just failed.
Every other exception keeps Django's own 500 page.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

from pioneer import compat

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30

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


def unavailable_response(request, service):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": _("服务暂时不可用，请稍后再试。"), "unavailable": service},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        # No request here: context processors (site settings, navigation) read the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """``handler500``: 503 for an outage of the database or storage, Django's 500 otherwise."""
    error = sys.exc_info()[1]  # Django calls this while handling the exception
    service = outage(error)
    if service is None:
        return django_server_error(request, *args, **kwargs)
    # One line per request, not a traceback: an outage fails every request alike.
    detail = " ".join(str(error).split())
    logger.warning("%s unavailable: %s %s: %s", service, request.path, type(error).__name__, detail)
    response = unavailable_response(request, service)
    compat.mark_response_logged(response)  # tells Django's request logging it is done
    return response
