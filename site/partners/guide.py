"""The partners' guide page: how to read the feeds, the JSON API and the widget."""

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from pioneer.core.addresses import public_url
from pioneer.core.five_functions import Function
from pioneer.core.models import Region
from pioneer.core.public import active_locale
from pioneer.core.rates import per_minute


def partners(request):
    """The partners' guide to feeds, the JSON API, the widget and their limits."""
    return render(
        request,
        "partners.html",
        {
            "page_title": _("开放接口说明"),
            "base": public_url("/").rstrip("/"),
            "functions": Function.choices,
            "regions": Region.objects.filter(locale=active_locale()),
            "embed_url": reverse("embed_builder"),
            # The sentence says "a minute": the numbers, not django-ratelimit's "120/m".
            "api_rate": per_minute(settings.RATE_LIMIT_API),
            "search_rate": per_minute(settings.RATE_LIMIT_SEARCH),
        },
    )
