"""Per-client request limits on the API and on search (the expensive public surfaces), and
on failed admin logins (password guessing).

django-ratelimit counts requests per client IP in the cache (Redis in production, so
every app server shares one count); over the limit, the client gets a 429 with
``Retry-After``. Behind nginx, ``RATELIMIT_IP_META_KEY`` names the header holding the
client's address.
"""

import re
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage, is_ratelimited

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


# --- Admin login: password guessing ----------------------------------------------------


def _login_username(group, request):
    """The username a login attempt names, as Django's auth compares it (case aside)."""
    return request.POST.get("username", "").strip().lower()[:150]


def _login_limits():
    return [
        ("login-ip", "ip", settings.RATE_LIMIT_LOGIN_IP),
        ("login-user", _login_username, settings.RATE_LIMIT_LOGIN_USER),
    ]


def _login_usage(request, increment):
    """Failed logins counted so far for this client IP and for this username."""
    usages = []
    for group, key, rate in _login_limits():
        if not rate:
            continue
        usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
        if usage is not None:  # None: the cache is away and RATELIMIT_FAIL_OPEN is on
            usages.append(usage)
    return usages


def admin_login(request, *args, **kwargs):
    """Wagtail's login view, refusing a client or a username after too many failures.

    Only failed attempts count (Wagtail answers a wrong password with the form again,
    200; a login that works redirects): ``RATE_LIMIT_LOGIN_IP`` per client IP and
    ``RATE_LIMIT_LOGIN_USER`` per username, whichever is reached first. Once reached, every
    login POST from that IP or for that user gets a 429 until the window ends, even with
    the right password, so guessing cannot go on; others are unaffected.
    """
    if request.method == "POST":
        blocked = [u for u in _login_usage(request, increment=False) if u["count"] >= u["limit"]]
        if blocked:
            retry = max(max(u["time_left"] for u in blocked), 1)
            return _login_refused(request, retry)
    response = _wagtail_login_view()(request, *args, **kwargs)
    if request.method == "POST" and response.status_code == 200:
        _login_usage(request, increment=True)
    return response


def _wagtail_login_view():
    from wagtail.admin.views.account import LoginView

    return LoginView.as_view()


def _login_refused(request, retry):
    minutes = max(1, -(-retry // 60))
    message = _(
        "登录失败次数过多，为保护账号已暂停登录。请在 %(minutes)d 分钟后再试；"
        "忘记密码请联系本单位的网站管理员。"
    ) % {"minutes": minutes}
    response = HttpResponse(
        format_html(
            '<!DOCTYPE html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
            "<h1>{}</h1><p>{}</p></html>",
            "en" if get_language() == "en" else "zh-Hans",
            _("暂停登录"),
            _("暂停登录"),
            message,
        ),
        status=429,
    )
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    return response
