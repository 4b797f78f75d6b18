def display_mode(request):
    """Learner display preferences, kept in cookies so they work without JavaScript."""
    return {"elder_mode": request.COOKIES.get("mode") == "elder"}


def site_identity(request):
    """The site's name and footer texts in the active language."""
    from wagtail.models import Site

    from pioneer.models import SiteSettings, SiteText

    site = Site.find_for_request(request)
    settings = SiteSettings.for_request(request) if site else None
    text = settings.text.localized if settings and settings.text_id else None
    return {"site_text": text or SiteText()}
