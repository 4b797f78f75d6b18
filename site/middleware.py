"""Project-wide middleware."""

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


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
