"""System checks of the public address: ``SITE_URL`` against Wagtail's ``Site`` and hosts."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def site_matches_site_url(app_configs=None, **kwargs):
    """Every absolute URL the site gives out names the default ``Site``: when it is not
    the configured ``SITE_URL``, partners get links to another host (``localhost``)."""
    from wagtail.models import Site

    from pioneer.core.addresses import site_origin

    problems = []
    host = urlsplit(settings.SITE_URL).hostname
    if not settings.DEBUG and host and not _allowed(host):
        problems.append(
            Warning(
                f"SITE_URL ({settings.SITE_URL}) names a host that ALLOWED_HOSTS does not list.",
                hint="Set SITE_URL to the site's public address, e.g. https://www.example.gov.cn.",
                id="pioneer.W002",
            )
        )
    try:
        # Only a site setup_site has built: before it, Wagtail's placeholder Site serves
        # nothing, and setup_site (which commands like import_content ask for) sets it.
        site = (
            Site.objects.filter(is_default_site=True, root_page__depth=2)
            .exclude(root_page__content_type__model="page")
            .first()
        )
    except DatabaseError:  # not migrated yet, or no database to reach: nothing to compare
        return problems
    if site is not None and (site.hostname, site.port) != site_origin():
        problems.append(
            Warning(
                f"The default Site is {site.root_url}, but SITE_URL is {settings.SITE_URL}: "
                "pages, the APIs, the sitemap and the widget would link to the Site's address.",
                hint="Run `manage.py setup_site` to apply SITE_URL to the Site.",
                id="pioneer.W001",
            )
        )
    return problems


def _allowed(host):
    for pattern in settings.ALLOWED_HOSTS:
        if pattern == "*" or pattern == host:
            return True
        if pattern.startswith(".") and (host == pattern[1:] or host.endswith(pattern)):
            return True
    return False
