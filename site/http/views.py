"""Small project-wide views: display-mode switch and the error pages."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache

from pioneer.core.addresses import public_url
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
