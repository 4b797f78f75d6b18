"""Project-wide middleware."""

from django.conf import settings
from django.http import QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class NulParameterMiddleware:
    """Replace NUL in query parameters with SUB (U+001A) before any view sees them.

    PostgreSQL text cannot hold NUL: a filter on a value with one (``?region=%00``) is an
    error there, not "nothing found" as on SQLite. SUB, ASCII's "substitute" for an invalid
    character, is storable, matches no slug, tag or name either, and is still a control
    character for views that refuse those (the widget answers 400), so every database
    gives the same answer to such input. Forms need nothing: Django's form fields already
    refuse NUL with a validation error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in query.lists():
                cleaned.setlist(
                    key.replace("\x00", "\x1a"), [v.replace("\x00", "\x1a") for v in values]
                )
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class FrameAncestorsMiddleware(MiddlewareMixin):
    """Say "do not frame me" in CSP too: ``Content-Security-Policy: frame-ancestors``.

    X-Frame-Options (``DENY`` in settings) already forbids framing; ``frame-ancestors``
    is its modern equivalent, which browsers prefer when both are present. Added to HTML
    responses only, and only when the view has set no Content-Security-Policy of its own
    (the embed widget sends ``frame-ancestors *``). It follows X-Frame-Options so the
    two never disagree: ``SAMEORIGIN`` (Wagtail's preview panel frames pages inside the
    admin) gives ``'self'``, and a view exempted with ``xframe_options_exempt`` gets
    nothing. Place it just before ``XFrameOptionsMiddleware`` in ``MIDDLEWARE``.
    """

    def process_response(self, request, response):
        if "Content-Security-Policy" in response:
            return response
        if getattr(response, "xframe_options_exempt", False):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        option = response.get("X-Frame-Options") or getattr(settings, "X_FRAME_OPTIONS", "DENY")
        ancestors = "'self'" if option.upper() == "SAMEORIGIN" else "'none'"
        response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        return response


class SaveDataVaryMiddleware(MiddlewareMixin):
    """Pages differ with the browser's ``Save-Data`` header (the data saver leaves images
    out), so caches in front (nginx, a CDN) must keep the two versions apart."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["Save-Data"])
        return response
