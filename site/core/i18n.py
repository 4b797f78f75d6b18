"""Which language versions of a page exist, for the switcher, hreflang and the sitemap;
the ``{% html_lang %}``, ``{% language_switch %}`` and ``{% hreflang_links %}`` tags
(registered in ``pioneer_tags``)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import translate_url
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from pioneer.caching.generation import memo
from pioneer.core.addresses import public_url
from pioneer.core.navigation import site_root
from pioneer.core.public import public_pages

HREFLANG = {"zh-hans": "zh-Hans", "en": "en"}


def page_versions(page, request):
    """{language code: URL} of the public versions of ``page``, itself included."""
    cached = getattr(request, "_pioneer_versions", None)
    if cached is not None and cached[0] == page.pk:
        return cached[1]
    versions = {}
    translations = public_pages(Page, locale=False).filter(translation_key=page.translation_key)
    for translation in translations.select_related("locale"):
        versions[translation.locale.language_code] = translation.get_url(request)
    request._pioneer_versions = (page.pk, versions)
    return versions


def home_url(language_code, request):
    """The home page of a language (its prefix when it has none), once per generation."""
    root = site_root(request)
    key = ("home-url", language_code, root.pk if root is not None else None)
    return memo(key, lambda: _home_url(language_code, request, root))


def _home_url(language_code, request, root):
    if root is None:
        return f"/{language_code}/"
    locale = Locale.objects.filter(language_code=language_code).first()
    home = root.get_translation_or_none(locale) if locale else None
    if home is None or not public_pages(Page, locale=False).filter(pk=home.pk).exists():
        return f"/{language_code}/"
    return home.get_url(request)


def language_links(request, page=None):
    """Links to the other languages: the same page when it is translated, else that
    language's home page; views that are not pages (search) keep their path."""
    current = get_language()
    versions = page_versions(page, request) if page is not None else {}
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        if page is not None:
            url = versions.get(code) or home_url(code, request)
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "hreflang": HREFLANG.get(code, code), "name": name, "url": url})
    return links


def html_lang():
    """``{% html_lang %}``: the <html lang> of the active language."""
    return "en" if (get_language() or "").startswith("en") else "zh-Hans"


def language_switch(context):
    """``{% language_switch %}``."""
    return {"links": language_links(context["request"], context.get("page"))}


def hreflang_links(context):
    """``{% hreflang_links %}``: <link rel="alternate" hreflang> for every public language
    version of the page."""
    page, request = context.get("page"), context["request"]
    if page is None or not getattr(page, "translation_key", None):
        return {"alternates": []}
    versions = page_versions(page, request)
    base = public_url("/").rstrip("/")
    alternates = [
        {"hreflang": HREFLANG.get(code, code), "href": base + url}
        for code, url in sorted(versions.items())
    ]
    if "zh-hans" in versions:
        alternates.append({"hreflang": "x-default", "href": base + versions["zh-hans"]})
    return {"alternates": alternates if len(versions) > 1 else []}


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that a 404 outside the pages (API, feeds, embeds, files) stays a
    404 instead of being redirected to a language-prefixed path that does not exist."""

    UNPREFIXED = ("/api/", "/feeds/", "/embed/", "/admin/", "/documents/", "/media/", "/static/")

    def process_response(self, request, response):
        if request.path.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)


def locale_or_404(language):
    """The site's locale for a language code taken from an address (``zh-hans``, ``en``):
    the feeds and includes that carry the language outside Django's i18n patterns."""
    from django.http import Http404

    codes = {code for code, _name in settings.LANGUAGES}
    locale = memo(
        ("locale-by-code", language),
        lambda: (
            Locale.objects.filter(language_code=language).first() if language in codes else None
        ),
    )
    if locale is None:
        raise Http404("unknown language")
    return locale
