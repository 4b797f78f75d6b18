"""Per-client request limits on the API and on search (the expensive public surfaces), and
on password guessing at every door that checks a password.

django-ratelimit counts requests per client IP in the cache (Redis in production, so
every app server shares one count); over the limit, the client gets a 429 with
``Retry-After``. Behind nginx, ``RATELIMIT_IP_META_KEY`` names the header holding the
client's address.
"""

import re
import time
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage, is_ratelimited

from pioneer.core.rates import PERIODS as _PERIODS


def _rules():
    return [
        ("api", re.compile(r"^/api/"), settings.RATE_LIMIT_API),
        # Not the search log's counters (the page's image, the results' pings): a learner
        # over the search limit still counts; they have a limit of their own, over which
        # they answer but count nothing (search.views).
        ("search", re.compile(r"^/[a-z-]+/search/(?!(seen|open)/)"), settings.RATE_LIMIT_SEARCH),
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


# --- Password guessing, at every door ----------------------------------------------
#
# One policy and one set of counts for every way in: the admin login, Wagtail's front-end
# login (where view-restricted pages send visitors), the password form of restricted pages
# and password reset. Each failure counts against the client's address
# (``RATE_LIMIT_LOGIN_IP``) and against what it tried to open (``RATE_LIMIT_LOGIN_USER``):
# an account (by user name, and by e-mail for a reset) or a password-protected page. Once
# either count is reached, every door refuses that address or that account with a 429
# until the window ends, even the right password, so guessing cannot move to another door.


def account_key(value):
    """A user name or e-mail as the counts know it: Django's login form reads full-width
    letters as their plain forms (NFKC) and trims; case aside, so one name is one count."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().casefold()[:254]


def _counts(request, accounts):
    """(group, key, rate) of each count a request for ``accounts`` falls under."""
    counts = [("auth-ip", "ip", settings.RATE_LIMIT_LOGIN_IP)] if request is not None else []
    for account in dict.fromkeys(accounts):
        counts.append(("auth-account", _constant(account), settings.RATE_LIMIT_LOGIN_USER))
    return [(group, key, rate) for group, key, rate in counts if rate]


def _constant(value):
    return lambda group, request: value


def _usages(request, accounts, increment):
    counts = _counts(request, accounts)
    if request is None:  # authenticate() called outside a request: the accounts still count
        request = HttpRequest()
        request.method = "POST"
    usages = []
    for group, key, rate in counts:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
        if usage is not None:  # None: the cache is away and RATELIMIT_FAIL_OPEN is on
            usages.append(usage)
    return usages


def refused_for(request, accounts):
    """Seconds this address or one of these accounts must still wait; 0 when free."""
    blocked = [u for u in _usages(request, accounts, False) if u["count"] >= u["limit"]]
    return max(max(u["time_left"] for u in blocked), 1) if blocked else 0


def count_failure(request, accounts):
    _usages(request, accounts, True)


def _user_accounts(username):
    return [f"user:{account_key(username)}"] if account_key(username) else []


def _count_failed_login(sender, credentials, request=None, **kwargs):
    """Every failed ``authenticate()`` counts, whatever door called it."""
    username = credentials.get(get_user_model().USERNAME_FIELD, credentials.get("username"))
    count_failure(request, _user_accounts(username))


def register_signal_handlers():
    user_login_failed.connect(_count_failed_login, dispatch_uid="pioneer.ratelimit.failed_login")


class AuthLimitBackend:
    """First in ``AUTHENTICATION_BACKENDS``: refuses any password check for an address or
    account past its limit, so no door (one added later, a library's) can be used to go on
    guessing. It never authenticates anyone itself."""

    def authenticate(self, request, **credentials):
        username = credentials.get(get_user_model().USERNAME_FIELD, credentials.get("username"))
        if refused_for(request, _user_accounts(username)):
            raise PermissionDenied  # authenticate() stops here: no other backend is asked
        return None


def _limited(view, accounts_of, counts_as_failure, message):
    """``view`` with the policy in front: a POST for a refused address or account gets the
    429 page without reaching the view; ``counts_as_failure(response)`` says which answers
    count (failed logins are counted by ``authenticate()`` itself)."""

    def limited_view(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        accounts = accounts_of(request, *args, **kwargs)
        retry = refused_for(request, accounts)
        if retry:
            return _refused(retry, message)
        response = view(request, *args, **kwargs)
        if counts_as_failure(response):
            count_failure(request, accounts)
        return response

    return limited_view


def _login_accounts(request, *args, **kwargs):
    return _user_accounts(request.POST.get("username"))


def _login_message():
    return _("暂停登录"), _(
        "登录失败次数过多，为保护账号已暂停登录。请在 %(minutes)d 分钟后再试；"
        "忘记密码请联系本单位的网站管理员。"
    )


def _admin_login_view(request, *args, **kwargs):
    from wagtail.admin.views.account import LoginView

    return LoginView.as_view()(request, *args, **kwargs)


def _frontend_login_view(request, *args, **kwargs):
    from django.contrib.auth.views import LoginView

    template = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_TEMPLATE", "wagtailcore/login.html")
    return LoginView.as_view(template_name=template)(request, *args, **kwargs)


# Wagtail's login views (the admin's, and the front end's at /<lang>/_util/login/): a
# wrong password answers the form again (200), a login that works redirects.
admin_login = _limited(_admin_login_view, _login_accounts, lambda response: False, _login_message)
frontend_login = _limited(
    _frontend_login_view, _login_accounts, lambda response: False, _login_message
)


def _page_password_accounts(request, page_view_restriction_id, page_id, *args, **kwargs):
    """The page whose password it is: the restriction's own page, whichever page below it
    the form was sent from (one password, one count)."""
    from wagtail.models import PageViewRestriction

    page = (
        PageViewRestriction.objects.filter(pk=page_view_restriction_id)
        .values_list("page_id", flat=True)
        .first()
    )
    return [f"page:{page}"] if page else []


def _page_password_view(request, *args, **kwargs):
    from wagtail.views import authenticate_with_password

    return authenticate_with_password(request, *args, **kwargs)


def _page_password_message():
    return _("暂停验证"), _("密码错误次数过多，已暂停验证。请在 %(minutes)d 分钟后再试。")


# A wrong page password answers the password form again (200); the right one redirects.
page_password = _limited(
    _page_password_view,
    _page_password_accounts,
    lambda response: response.status_code == 200,
    _page_password_message,
)


def _reset_accounts(request, *args, **kwargs):
    """The e-mail a reset asks for, and the accounts it would reach (a reset and a login
    for the same account share one count)."""
    email = account_key(request.POST.get("email"))
    if not email:
        return []
    users = get_user_model()._default_manager.filter(email__iexact=email)
    usernames = users.values_list(get_user_model().USERNAME_FIELD, flat=True)
    return [f"email:{email}"] + [account for name in usernames for account in _user_accounts(name)]


def _reset_view(request, *args, **kwargs):
    from wagtail.admin.views.account import PasswordResetView

    return PasswordResetView.as_view()(request, *args, **kwargs)


def _reset_message():
    return _("暂停找回密码"), _(
        "找回密码的请求过多，已暂停发送。请在 %(minutes)d 分钟后再试，或联系本单位的网站管理员。"
    )


# Every reset request counts (each one may send a mail), answered or not.
password_reset = _limited(_reset_view, _reset_accounts, lambda response: True, _reset_message)


def _refused(retry, message):
    title, text = message()
    minutes = max(1, -(-retry // 60))
    response = HttpResponse(
        format_html(
            '<!DOCTYPE html><html lang="{}"><meta charset="utf-8"><title>{}</title>'
            "<h1>{}</h1><p>{}</p></html>",
            "en" if get_language() == "en" else "zh-Hans",
            title,
            title,
            text % {"minutes": minutes},
        ),
        status=429,
    )
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    return response
