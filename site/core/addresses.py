"""The site's public address (``SITE_URL``): links partners copy, and the host Wagtail's
``Site`` must hold."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def site_origin(url=None):
    """(hostname, port) of the public address ``SITE_URL``, as Wagtail's ``Site`` holds
    it: Wagtail names the scheme from the port (443 → https, otherwise http)."""
    parts = urlsplit(url or settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname, port


def public_url(url):
    """``url`` on the public address ``SITE_URL``, whatever host the request came by (an
    internal name, ``localhost``): partners copy these links. A full URL (media on an
    object store) stays as it is."""
    return urljoin(settings.SITE_URL + "/", url)
