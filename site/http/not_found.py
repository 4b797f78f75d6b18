"""The site's own "页面不存在" page in development too.

With ``DEBUG`` on (the default without ``SECRET_KEY``, i.e. ``./dev run``), Django answers a
missing page with its technical 404, which shows editors and newcomers a list of URL
patterns instead of what learners will see. Views' ``Http404`` are answered here with the
same handler production uses; unmatched URL patterns (outside the language prefixes, e.g.
``/api/…``) still get Django's page, which is what a developer wants there.
"""

from django.conf import settings
from django.http import Http404
from django.urls import get_resolver


class SiteNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or not isinstance(exception, Http404):
            return None  # production: Django uses handler404 itself
        view = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)
        return view(request, exception)
