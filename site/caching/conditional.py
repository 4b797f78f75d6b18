"""Conditional GETs: ETags, Last-Modified and 304s.

API answers: the ETag is a hash of the body (so it changes exactly when the answer
does); Last-Modified is the newest publication or unpublication on the site, which
bounds when any API answer can have changed.

Anonymous pages and feeds (what nginx caches as pages): the ETag names the content
generation, so a request that brings it back while nothing has changed gets a 304 before
any view runs. That is what nginx's revalidation of an expired copy costs
(``proxy_cache_revalidate``): a Redis read instead of a render; a browser's own copy
revalidates the same way.
"""

import hashlib
import time

from django.db.models import Max
from django.http import HttpResponseNotModified
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags
from wagtail.models import Page, PageLogEntry

from pioneer.caching import generation
from pioneer.caching.generation import memo
from pioneer.caching.nginx import NOT_PAGES, SSI_HEADER, TIMED, cached_by_nginx, keyed_region


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


class GenerationETagMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tag = generation_etag(request)
        if tag is None:
            return self.get_response(request)
        if tag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            response["ETag"] = tag
            return response
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and "ETag" not in response:
            # Asked again: what the view read (the notices in force, ``clock_parts``) is
            # known now, so the next revalidation matches without a query.
            response["ETag"] = generation_etag(request) or tag
        return response


ETAG_BACKSTOP = 3600  # seconds: what changed without moving the generation shows by then


def generation_etag(request):
    """The ETag of this request's answer, or None when it gets none: not an anonymous
    page view as nginx caches them, or no generation (Redis away). A new generation, a
    new release or an hour (a backstop for changes no signal reports) give a new tag."""
    if (
        NOT_PAGES.match(request.path_info)
        or TIMED.match(request.path_info)
        or not cached_by_nginx(request)
    ):
        return None
    current = generation.generation()
    if current is None:
        return None
    address = generation.address(request)
    # Each address's hour starts at its own minute: the tags of all pages never change at
    # once (that would make every cached copy's revalidation a render in the same minute).
    offset = int(hashlib.sha1(address.encode()).hexdigest()[:8], 16) % ETAG_BACKSTOP
    bucket = int((time.time() + offset) // ETAG_BACKSTOP)
    key = f"{current}|{generation.code_version()}|{bucket}|{address}"
    if request.META.get(SSI_HEADER) != "1":
        # The page as rendered for the chosen region (the home page leads with it, the
        # notices concern it), with the notices in force (``clock_parts``). Behind the
        # include nginx keeps one copy for every region, which names neither.
        key += f"|{keyed_region(request)}|" + "|".join(str(part(request)) for part in _clock_parts)
    return f'W/"{hashlib.sha1(key.encode()).hexdigest()[:24]}"'


_clock_parts = []


def register_clock_part(part):
    """Name ``part(request)`` (a short value, cheap to compute) in every page's ETag when
    the page is rendered whole: what a page shows that changes with the clock rather than
    with the content generation (the notices in force, ``notices.apps``)."""
    if part not in _clock_parts:
        _clock_parts.append(part)
