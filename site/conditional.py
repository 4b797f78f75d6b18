"""ETag and Last-Modified on API responses, and 304 for a repeat request.

The ETag is a hash of the body (so it changes exactly when the answer does);
Last-Modified is the newest publication or unpublication on the site, which bounds
when any API answer can have changed.
"""

import hashlib

from django.db.models import Max
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from wagtail.models import Page, PageLogEntry

from pioneer.content_cache import memo


def site_last_changed():
    """When what the API answers last changed; every change also moves the content
    generation, so it is looked up once per generation."""
    return memo("site-last-changed", _last_changed)


def _last_changed():
    published = Page.objects.aggregate(latest=Max("last_published_at"))["latest"]
    gone = PageLogEntry.objects.filter(
        action__in=["wagtail.unpublish", "wagtail.delete", "wagtail.move"]
    ).aggregate(latest=Max("timestamp"))["latest"]
    return max(filter(None, [published, gone]), default=None)


class ApiConditionalGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or not request.path.startswith("/api/")
            or response.streaming
        ):
            return response
        etag = f'"{hashlib.sha1(response.content).hexdigest()}"'
        response["ETag"] = etag
        changed = site_last_changed()
        seconds = int(changed.timestamp()) if changed else None  # HTTP dates have no fractions
        if seconds:
            response["Last-Modified"] = http_date(seconds)
        response.setdefault("Cache-Control", "public, max-age=60")
        return get_conditional_response(
            request, etag=etag, last_modified=seconds, response=response
        )
