"""Where a request is in the site: its root, the home page in the active language, the
menu's sections and the home page's URL, each looked up once per content generation; the
``{% site_nav %}`` and ``{% home_url %}`` tags (registered in ``pioneer_tags``)."""

import copy

from wagtail.models import Site

from pioneer.caching.generation import memo
from pioneer.core.public import active_locale, public_pages


def site_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


def home_for(request):
    """The home page in the active language (its translation of the site's root), looked
    up once per process and content generation, a copy for each request."""
    cached = getattr(request, "_pioneer_home", None)
    if cached is None:
        root = site_root(request)
        if root is not None:
            active = active_locale()
            if root.locale_id != active.id:
                translation = memo(
                    ("home", root.pk, active.pk), lambda: root.get_translation_or_none(active)
                )
                root = copy.copy(translation) if translation is not None else root
        cached = request._pioneer_home = root
    return cached


def sections(home, request):
    """(title, URL) of the menu's sections under ``home``, once per content generation."""

    def lookup():
        sections = public_pages(home.get_children(), locale=False).filter(show_in_menus=True)
        return [(page.title, page.get_url(request)) for page in sections]

    site = Site.find_for_request(request)
    return memo(("menu", home.pk, site.pk if site else None), lookup)


def home_url(request):
    """The home page's URL, once per process and generation (every page links to it)."""
    home = home_for(request)
    if home is None:
        return "/"
    site = Site.find_for_request(request)
    key = ("home-url", home.pk, site.pk if site else None)
    return memo(key, lambda: home.get_url(request))


def site_nav(context):
    """``{% site_nav %}``: the menu, with the section the request is in marked current."""
    request = context["request"]
    home = home_for(request)
    items = []
    if home is not None:
        path = request.path
        for title, url in sections(home, request):
            items.append({"title": title, "url": url, "current": path.startswith(url)})
    url = home_url(request)
    return {
        "home_url": url,
        "home_current": request.path == url,
        "items": items,
        "request": request,
    }


def home_url_tag(context):
    """``{% home_url %}``."""
    return home_url(context["request"])
