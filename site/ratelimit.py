"""Per-client request limits on the API and on search (the expensive public surfaces).

django-ratelimit counts requests per client IP in the cache (Redis in production, so
every app server shares one count); over the limit, the client gets a 429 with
``Retry-After``. Behind nginx, ``RATELIMIT_IP_META_KEY`` names the header holding the
client's address.
"""

import re
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django_ratelimit.core import is_ratelimited

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rules():
    return [
        ("api", re.compile(r"^/api/"), settings.RATE_LIMIT_API),
        ("search", re.compile(r"^/[a-z-]+/search/"), settings.RATE_LIMIT_SEARCH),
    ]


def _retry_after(rate):
    period = _PERIODS.get(rate.rsplit("/", 1)[-1][-1], 60)
    return period - int(time.time()) % period or period


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for group, pattern, rate in _rules():
            if rate and pattern.match(request.path):
                if is_ratelimited(request, group=group, key="ip", rate=rate, increment=True):
                    return self.limited(request, group, rate)
                break
        return self.get_response(request)

    def limited(self, request, group, rate):
        retry = _retry_after(rate)
        if group == "api":
            response = JsonResponse(
                {"error": "rate limit exceeded", "limit": rate, "retry_after": retry}, status=429
            )
        else:
            response = HttpResponse(
                '<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8">'
                "<title>请求过于频繁</title><p>请求过于频繁，请稍等一会儿再试。</p></html>",
                status=429,
            )
        response["Retry-After"] = str(retry)
        response["Cache-Control"] = "no-store"
        return response
