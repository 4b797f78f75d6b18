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
    """The site's name and footer texts in the active language."""
    from wagtail.models import Site

    from pioneer.models import SiteSettings, SiteText

    site = Site.find_for_request(request)
    settings = SiteSettings.for_request(request) if site else None
    text = settings.text.localized if settings and settings.text_id else None
    return {"site_text": text or SiteText()}
