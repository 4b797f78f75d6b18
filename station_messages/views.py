"""The public pages: the form (``messages/new/``), its thank-you page (``messages/sent/``)
and the published questions and answers (``messages/``).

The form is a plain POST / redirect / GET: it works without JavaScript, and a reload of
the thank-you page sends nothing twice. It is never kept by nginx or the browser (its
CSRF token is the visitor's own). Messages a client address may send are counted in the
cache (``RATE_LIMIT_MESSAGES``, django-ratelimit, per ``RATELIMIT_IP_META_KEY``); when the
cache is away the count is skipped and the form keeps working.
"""

import logging

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET
from django_ratelimit.core import get_usage
from wagtail.models import Locale

from pioneer.core.models import Region
from pioneer.core.pagination import paginate
from pioneer.core.public import active_locale
from pioneer.core.regions import find_region
from station_messages.forms import MessageForm
from station_messages.models import StationMessage

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
RATE_GROUP = "station-messages"


def _over_limit(request):
    """Counts one message from this client address; whether it is past the limit, and the
    seconds until the count starts again. A cache that is away (an error, or no count:
    django-ratelimit's answer then depends on ``RATELIMIT_FAIL_OPEN``) counts nothing: a
    learner's message matters more than a limit for an hour."""
    rate = settings.RATE_LIMIT_MESSAGES
    if not rate:
        return False, 0
    try:
        usage = get_usage(request, group=RATE_GROUP, key="ip", rate=rate, increment=True)
    except Exception:  # noqa: BLE001 - any cache failure: let the message through
        logger.warning("station messages: rate limit not counted (cache unavailable)")
        return False, 0
    if usage is None or usage["time_left"] < 0:  # the cache did not answer
        return False, 0
    return usage["should_limit"], max(int(usage["time_left"]), 1)


def _private(response):
    """Neither nginx nor the browser keeps the form: its token and errors are one
    visitor's."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Accel-Expires"] = "0"
    return response


def _form_page(request, form, status=200, retry_after=None):
    context = {
        "form": form,
        "page_title": _("给远教办留言"),
        "phone_days": settings.STATION_MESSAGE_PHONE_DAYS,
        "retry_minutes": max(1, -(-retry_after // 60)) if retry_after else None,
    }
    response = render(request, "station_messages/form.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return _private(response)


@csrf_protect
def message_form(request):
    if request.method not in ("GET", "HEAD", "POST"):
        return _private(HttpResponseNotAllowed(["GET", "HEAD", "POST"]))
    locale = active_locale()
    if request.method != "POST":
        return _form_page(request, MessageForm(locale=locale))
    form = MessageForm(request.POST, locale=locale)
    if form.is_bot:
        # Looks sent, stores nothing: a bot learns nothing from the answer.
        return redirect("station_messages:sent")
    if not form.is_valid():
        return _form_page(request, form)
    limited, retry = _over_limit(request)
    if limited:
        return _form_page(request, form, status=429, retry_after=retry)
    form.save()
    return redirect("station_messages:sent")


@require_GET
def message_sent(request):
    return render(request, "station_messages/sent.html", {"page_title": _("留言已收到")})


def _labels(locale):
    """Region names in the page's language, by translation key."""
    return {
        key: name
        for key, name in Region.objects.filter(locale=locale).values_list("translation_key", "name")
    }


@require_GET
def answers(request):
    """The published questions and answers, newest first; ``?region=`` narrows them to a
    city (its counties too) or a county."""
    locale = active_locale()
    messages = StationMessage.objects.public().select_related("region")
    region = None
    raw = request.GET.get("region", "")
    if raw:
        region = find_region(raw, locale)
        if region is not None:
            keys = Region.subtree(region).values_list("translation_key", flat=True)
            messages = messages.filter(region__translation_key__in=list(keys))
    page = paginate(request, messages, per_page=PAGE_SIZE)
    labels = _labels(locale)
    for message in page.object_list:
        message.region_label = labels.get(message.region.translation_key, message.region.name)
    default = Locale.get_default()
    cities = Region.objects.filter(locale=locale, level="city").order_by("sort_order")
    context = {
        "page_title": _("群众留言公开答复"),
        "page_obj": page,
        "region": region,
        "unknown_region": bool(raw) and region is None,
        "cities": cities,
        "form_url": reverse("station_messages:new"),
        "source_language": default.language_code,
    }
    return render(request, "station_messages/answers.html", context)
