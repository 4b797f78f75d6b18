"""What every page's template reads about the site and the learner: the site's name and
texts, its settings, and the learner's display mode (context processors)."""

from django.utils.translation import get_language
from wagtail.models import Site

from pioneer.caching.generation import memo
from pioneer.caching.site_memo import remember_site
from pioneer.core.models import SiteSettings, SiteText

SAVER_COOKIE = "saver"


def wants_data_saver(request):
    """Whether to leave images and posters out: the learner's switch, else ``Save-Data``.

    The switch (cookie ``saver``, ``on`` or ``off``) wins over the browser's header, so a
    learner whose phone always asks to save data can still choose to see pictures.
    """
    choice = request.COOKIES.get(SAVER_COOKIE)
    if choice in ("on", "off"):
        return choice == "on"
    return request.headers.get("Save-Data", "").strip().lower() == "on"


def display_mode(request):
    """Learner display preferences, kept in cookies so they work without JavaScript."""
    return {
        "elder_mode": request.COOKIES.get("mode") == "elder",
        "data_saver": wants_data_saver(request),
    }


def site_identity(request):
    """The site's name and footer texts in the active language, and its settings: looked
    up once per process and content generation (every page shows them)."""
    site = Site.find_for_request(request)
    if site is None:
        return {"site_text": SiteText(), "site_settings": None}
    remember_site(request, site)

    def lookup():
        settings = SiteSettings.for_site(site)
        text = settings.text.localized if settings.text_id else None
        return {"site_text": text or SiteText(), "site_settings": settings}

    return memo(("site-identity", site.pk, get_language()), lookup)
