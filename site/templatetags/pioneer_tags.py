import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from pioneer.caching import fragments
from pioneer.core.navigation import home_for as _home_for
from pioneer.core.navigation import home_url as _home_url
from pioneer.core.navigation import sections as _sections
from pioneer.core.navigation import site_root  # noqa: F401 - the old name, kept

register = template.Library()


@register.inclusion_tag("includes/nav.html", takes_context=True)
def site_nav(context):
    request = context["request"]
    home = _home_for(request)
    items = []
    if home is not None:
        path = request.path
        for title, url in _sections(home, request):
            items.append({"title": title, "url": url, "current": path.startswith(url)})
    home_url = _home_url(request)
    return {
        "home_url": home_url,
        "home_current": request.path == home_url,
        "items": items,
        "request": request,
    }


@register.simple_tag(takes_context=True)
def home_url(context):
    return _home_url(context["request"])


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """``url`` with scheme and host: a local path gets the public address; an object-store
    URL (media on S3) already has its own."""
    from pioneer.core.addresses import public_url

    return public_url(url)


@register.simple_tag
def html_lang():
    return "en" if (get_language() or "").startswith("en") else "zh-Hans"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (or removed when None)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def type_label(page):
    """The human name of a page's type (课程, 新闻, 政策文件…)."""
    model = page.specific_class or type(page)
    return model._meta.verbose_name


_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data):
    """Structured data as a JSON-LD block, escaped so no text can close the element."""
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_LD_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    from pioneer.core.i18n import language_links

    return {"links": language_links(context["request"], context.get("page"))}


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for every public language version of the page."""
    from pioneer.core.i18n import HREFLANG, page_versions

    page, request = context.get("page"), context["request"]
    if page is None or not getattr(page, "translation_key", None):
        return {"alternates": []}
    from pioneer.core.addresses import public_url

    versions = page_versions(page, request)
    base = public_url("/").rstrip("/")
    alternates = [
        {"hreflang": HREFLANG.get(code, code), "href": base + url}
        for code, url in sorted(versions.items())
    ]
    if "zh-hans" in versions:
        alternates.append({"hreflang": "x-default", "href": base + versions["zh-hans"]})
    return {"alternates": alternates if len(versions) > 1 else []}


@register.filter
def tag_names(page):
    """A page's tags as its language names them."""
    from pioneer.core.models import topic_labels

    topics = list(page.tags.all())
    labels = topic_labels(topics, page.locale)
    return [labels[topic.pk] for topic in topics]


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context):
    """Feed autodiscovery for the page being shown: its section's feeds."""
    from django.urls import reverse
    from django.utils.translation import get_language

    from lessons.models import LessonIndexPage, LessonPage
    from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage

    page = context.get("page")
    language = get_language() or "zh-hans"
    kind, key = None, None
    if isinstance(page, (LessonIndexPage, LessonPage)):
        kind, key = "lessons", (page.function or None)
    elif isinstance(page, NewsIndexPage) and page.region_id:
        kind, key = "regions", page.region.slug
    elif isinstance(page, (NewsIndexPage, NewsPage)):
        kind = "news"
    elif isinstance(page, (PolicyIndexPage, PolicyPage)):
        kind = "policies"
    elif page is not None and page.depth == 2:  # the home page: newest lessons
        kind = "lessons"
    if kind is None:
        return {"feeds": []}
    args = [language, kind] + ([key] if key else [])
    title = page.title
    return {
        "feeds": [
            {
                "type": "application/rss+xml",
                "title": f"{title} (RSS)",
                "href": reverse("feed_rss", args=args),
            },
            {
                "type": "application/atom+xml",
                "title": f"{title} (Atom)",
                "href": reverse("feed_atom", args=args),
            },
        ]
    }


def rendition_bytes(rendition):
    """A rendition's file size, remembered in the cache (on S3 it costs a request); None
    while the storage does not answer (asked again next time)."""
    from django.core.cache import cache

    from pioneer.core.outages import STORAGE_ERRORS

    key = f"rendition-bytes:{rendition.file.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = rendition.file.size
        except STORAGE_ERRORS:
            return None
        except OSError:
            size = 0
        cache.set(key, size, None)
    return size


@register.simple_tag
def image_link(rendition, alt=""):
    """The data saver's stand-in for an image: a link to it that says how heavy it is
    (when the storage can tell)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    size = rendition_bytes(rendition)
    kilobytes = None if size is None else max(1, -(-size // 1024))
    if alt and kilobytes:
        label = _("查看图片：%(alt)s（%(size)s KB）") % {"alt": alt, "size": kilobytes}
    elif alt:
        label = _("查看图片：%(alt)s") % {"alt": alt}
    elif kilobytes:
        label = _("查看图片（%(size)s KB）") % {"size": kilobytes}
    else:
        label = _("查看图片")
    return format_html('<a class="image-link" href="{}">{}</a>', rendition.url, label)


register.tag("fragment", fragments.fragment)
