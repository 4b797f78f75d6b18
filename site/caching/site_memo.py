"""The request's Wagtail site and root page, remembered per process and content generation.

Wagtail looks both up on every request; here they are found once per generation and each
request gets its own copies, primed by the middleware that reads the generation.
"""

import copy

from django.core.exceptions import DisallowedHost

from pioneer import compat
from pioneer.caching import generation


def _site_key(request):
    try:
        host = request.get_host()  # only allowed hosts get a memo entry
    except DisallowedHost:
        return None
    return ("site", host, request.get_port())


def prime_site(request):
    """Give Wagtail the request's site and root page when this process knows them for the
    current generation (Wagtail looks both up on every request otherwise); each request
    gets its own copies. Nothing is queried here: a request that needs no database (the
    outage page) makes no query."""
    key = _site_key(request)
    found = generation.peek(key) if key else None
    if found is not None:
        site, root = copy.copy(found[0]), copy.copy(found[1])
        site.root_page = root
        compat.prime_request_site(request, site)


def remember_site(request, site):
    """Keep the site Wagtail found for this request, with its root page, for ``prime_site``."""
    key = _site_key(request)
    if key is not None and site is not None:
        generation.memo(key, lambda: (copy.copy(site), site.root_page.specific))


class ContentGenerationMiddleware:
    """Read the generation once at the start of each request, and prime the site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with generation.read_once():
            prime_site(request)
            return self.get_response(request)
