"""Project-wide middleware."""

import functools
import re
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class NulParameterMiddleware:
    """Replace NUL in query parameters with SUB (U+001A) before any view sees them; an
    address with NUL in its path is a 404 at once.

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
        if "\x00" in request.path:  # no page, feed or file has NUL in its address
            raise Http404
        query = request.GET
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in query.lists():
                cleaned.setlist(
                    key.replace("\x00", "\x1a"), [v.replace("\x00", "\x1a") for v in values]
                )
            request.GET = QueryDict(cleaned.urlencode())  # immutable, like the request's own
        return self.get_response(request)


class OpenCorsMiddleware:
    """Every answer on the open addresses (feeds, the API, the widget) allows any origin,
    not only those to a request that named one.

    django-cors-headers answers a request with an ``Origin`` header alone, while nginx
    caches these answers under their address: a copy cached from a feed reader's request
    would otherwise be refused to a partner's page by its browser. With any origin allowed
    and no credentials, ``*`` is what django-cors-headers would say to each of them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.open = settings.CORS_ALLOW_ALL_ORIGINS and not settings.CORS_ALLOW_CREDENTIALS
        self.paths = re.compile(settings.CORS_URLS_REGEX)

    def __call__(self, request):
        response = self.get_response(request)
        if self.open and self.paths.match(request.path_info):
            response.headers.setdefault("Access-Control-Allow-Origin", "*")
        return response


def _origin(url):
    """The scheme and host of an absolute URL, or None for a URL on this site."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


@functools.cache
def media_origins():
    """Where pages load images, video and audio from, asked of the storages themselves.

    Local media are on this site ('self'). On S3 the signed URLs of renditions (which
    ``/media/images/`` redirects to) and of documents (video, audio, captions, which
    ``/documents/`` redirects to) each have an origin; building a URL costs no request.
    ``CSP_MEDIA_ORIGINS`` adds others (a CDN in front of the bucket, say).
    """
    from django.core.files.storage import storages

    origins = []
    aliases = ["default"] + [a for a in ("renditions",) if a in settings.STORAGES]
    for alias in aliases:
        storage = storages[alias]
        # S3 renditions link the site, which redirects to the store: the store's origin.
        origin = _origin(getattr(storage, "store_url", storage.url)("csp-probe"))
        if origin and origin not in origins:
            origins.append(origin)
    for extra in getattr(settings, "CSP_MEDIA_ORIGINS", []):
        if extra not in origins:
            origins.append(extra)
    return tuple(origins)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies and framing that follows X-Frame-Options.

    Public pages get ``CONTENT_SECURITY_POLICY`` (no inline script, one stylesheet, media
    from the storages' origins, see ``media_origins``); the Wagtail admin, which needs
    inline scripts and styles, gets ``CONTENT_SECURITY_POLICY_ADMIN``. ``frame-ancestors``
    is derived from X-Frame-Options so the two never disagree: ``DENY`` gives ``'none'``,
    ``SAMEORIGIN`` (Wagtail's preview panel frames pages inside the admin) ``'self'``, and a
    view exempted with ``xframe_options_exempt`` none at all. HTML responses only (files,
    JSON and feeds run nothing), and a view's own Content-Security-Policy is kept (the
    embed widget sends ``frame-ancestors *``). Place it just before
    ``XFrameOptionsMiddleware`` in ``MIDDLEWARE`` so X-Frame-Options is already set.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(_admin_prefix()):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        update = dict(parts.update or {})
        origins = media_origins()
        if origins:
            for directive in ("img-src", "media-src"):
                update[directive] = tuple(update.get(directive, ())) + origins
        if response.status_code >= 500:
            # 500.html is a static page with its own inline style (no template, no input).
            update["style-src"] = tuple(update.get("style-src", ())) + ("'unsafe-inline'",)
        replace = dict(parts.replace or {})
        if "frame-ancestors" not in replace:
            if getattr(response, "xframe_options_exempt", False):
                replace["frame-ancestors"] = None
            else:
                option = response.get("X-Frame-Options") or settings.X_FRAME_OPTIONS
                replace["frame-ancestors"] = (
                    "'self'" if option.upper() == "SAMEORIGIN" else "'none'"
                )
        parts.update, parts.replace = update, replace
        return parts


@functools.cache
def _admin_prefix():
    return reverse("wagtailadmin_home")


class SaveDataVaryMiddleware(MiddlewareMixin):
    """Pages differ with the browser's ``Save-Data`` header (the data saver leaves images
    out), so caches in front (nginx, a CDN) must keep the two versions apart."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["Save-Data"])
        return response
