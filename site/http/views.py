"""Small project-wide views: display-mode and region switches, and the error pages."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache

from pioneer.core import filters, my_region
from pioneer.core.addresses import public_url
from pioneer.core.models import Region
from pioneer.core.public import active_locale
from pioneer.core.site_identity import SAVER_COOKIE

MODE_COOKIE_AGE = 365 * 24 * 3600


@never_cache
def set_display_mode(request):
    """Turn a display preference on or off with a plain link, then go back.

    ``mode=elder|normal`` is the elder-friendly large-text mode; ``saver=on|off`` the
    data saver (省流量). Each is a cookie of its own; a link changes only what it names.
    """
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if "saver" not in request.GET or "mode" in request.GET:
        if request.GET.get("mode") == "elder":
            response.set_cookie("mode", "elder", max_age=MODE_COOKIE_AGE, samesite="Lax")
        else:
            response.delete_cookie("mode", samesite="Lax")
    if "saver" in request.GET:
        if request.GET["saver"] == "on":
            response.set_cookie(SAVER_COOKIE, "on", max_age=MODE_COOKIE_AGE, samesite="Lax")
        elif request.headers.get("Save-Data", "").strip().lower() == "on":
            # The browser asks to save data on every request: remember "no" explicitly.
            response.set_cookie(SAVER_COOKIE, "off", max_age=MODE_COOKIE_AGE, samesite="Lax")
        else:
            response.delete_cookie(SAVER_COOKIE, samesite="Lax")
    return response


def _safe_next(request, default):
    target = request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return target


@never_cache
def set_region(request):
    """Choose "my region" with a plain form (no login, no JavaScript): a cookie holding
    the region's slug, then back. An empty choice, or the province, chooses none."""
    language = (request.GET.get("lang") or "").strip()
    home = f"/{language}/" if language in ("zh-hans", "en") else "/"
    target = _safe_next(request, home)
    key = (request.GET.get("region") or "").strip()[:50]
    locale = active_locale()
    region = my_region.region_by_slug(key, locale) if key else None
    if key and region is None:
        response = render(
            request,
            "pioneer/region_unknown.html",
            {"page_title": _("没有这个地区"), "chooser": f"{home}region/"},
            status=400,
        )
        return response
    response = HttpResponseRedirect(target)
    if region is None or region.level == Region.Level.PROVINCE:
        response.delete_cookie(my_region.COOKIE, samesite="Lax")
    else:
        response.set_cookie(
            my_region.COOKIE, region.slug, max_age=my_region.COOKIE_AGE, samesite="Lax"
        )
    return response


@never_cache
def choose_region(request):
    """``/<lang>/region/``: the counties grouped by city, the current choice marked; never
    cached, since it shows the visitor's own choice."""
    locale = active_locale()
    chosen = my_region.chosen_region(request, locale)
    regions = filters.region_choices(locale)
    cities = [region for region in regions if region.level == Region.Level.CITY]
    counties = {}
    for region in regions:
        if region.level == Region.Level.COUNTY:
            counties.setdefault(region.parent_id, []).append(region)
    context = {
        "page_title": _("选择我的地区"),
        "chosen": chosen,
        "groups": [(city, counties.get(city.pk, [])) for city in cities],
        "next": _safe_next(request, f"/{locale.language_code}/"),
    }
    return render(request, "pioneer/choose_region.html", context)


def not_found(request, *args, **kwargs):
    raise Http404


@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/search/",
        f"Sitemap: {public_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them the SVG icon."""
    return HttpResponseRedirect(staticfiles_storage.url("favicon.svg"))
