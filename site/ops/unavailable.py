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

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

from pioneer import compat
from pioneer.core.outages import outage

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


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
