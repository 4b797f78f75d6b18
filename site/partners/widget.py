"""The embeddable lesson widget (contract 4) and the page that gives partners its snippet.

``/embed/lessons/?function=&region=&tag=&limit=&locale=`` (``category`` is the old name of
``function``, still accepted) is a tiny self-contained HTML
list (inline CSS, no JavaScript, under 10 KB) that any site may put in an iframe;
``/<lang>/embed/`` explains it, lets a partner choose the filters and shows the snippet
to paste with a live preview.
"""

import math
import re
import unicodedata
from urllib.parse import urlencode

from csp.decorators import csp_update
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.models import Locale

from pioneer.core import content_types, filters
from pioneer.core.addresses import public_url
from pioneer.core.five_functions import Function
from pioneer.core.models import Region
from pioneer.core.public import active_locale, public_pages
from pioneer.core.site_identity import site_identity

DEFAULT_LIMIT = 5
MAX_LIMIT = 20
MAX_PARAM_LENGTH = 100
MAX_BYTES = 10 * 1024
LOCALES = {"zh-hans": "zh-Hans", "en": "en"}  # the ``locale`` parameter → <html lang>
# The widget's box model (lessons/embed.html), in CSS pixels, for the frame's height: the
# body's padding, the heading's rule and padding, the "more" link's margin; each lesson's
# padding and rule; line heights (1.6) of the heading (16 px), titles (15 px), meta lines
# (13 px) and the "more" link (14 px); the narrowest column the widget is offered for.
FRAME_FIXED = 19 + 8 + 8 + 2
ITEM_FIXED = 15 + 2
NOTICE_FIXED = 8 + 10  # a notice's margin below and its padding
HEADING_LINE, TITLE_LINE, META_LINE, MORE_LINE = 25.6, 24, 20.8, 22.4
NARROWEST_COLUMN = 300
TEXT_WIDTH = NARROWEST_COLUMN - 24  # the body's side padding

WIDGET_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *"
)

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# What a partner sees when the snippet is wrong: short, plain, in Chinese.
ERRORS = {
    "length": f"参数过长：每个参数不能超过 {MAX_PARAM_LENGTH} 个字符。",
    "control": "参数中含有无效字符。",
    "locale": "不支持的语言：locale 只能是 zh-hans 或 en。",
    "category": "未知的课程功能：function 只能是 " + "、".join(Function.values) + " 之一。",
    "region": "未知的地区：region 应为本站地区的网址名，例如 huzhou。",
    "limit": f"limit 必须是整数（1–{MAX_LIMIT}）。",
}


# The widget refuses a bad filter (400); the builder names it and leaves it out.
WIDGET_READING = filters.Reading(
    frozenset({"function", "region", "tag"}),
    names={"function": ("category", "function")},
    strip=True,
)
WIDGET_ERRORS = {"function": "category", "region": "region"}
BUILDER_READING = filters.Reading(
    frozenset({"function", "region"}),
    names={"function": ("function", "category")},
    strip=True,
    max_length=MAX_PARAM_LENGTH,
    refuse_control=True,
)


class BadParameter(ValueError):
    pass


def clamp_limit(raw):
    """``limit`` as a whole number clamped to 1..MAX_LIMIT; '' gives the default.

    0 and negative numbers are clamped to 1 (a partner who asks for nothing still gets a
    working widget); anything that is not a whole number raises ``BadParameter``.
    """
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_LIMIT
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise BadParameter("limit")
    return max(1, min(MAX_LIMIT, int(raw)))


def _parse(params):
    """The widget's filters from a query string; ``BadParameter`` names the first bad one."""
    for name, values in params.lists():
        for value in (name, *values):
            if len(value) > MAX_PARAM_LENGTH:
                raise BadParameter("length")
            if _CONTROL.search(value):
                raise BadParameter("control")
    language = (params.get("locale") or "zh-hans").strip().lower()
    locale = Locale.objects.filter(language_code=language).first() if language in LOCALES else None
    if locale is None:
        raise BadParameter("locale")
    try:
        found, _bad = filters.read(params, locale, WIDGET_READING, strict=True)
    except filters.BadFilter as error:
        raise BadParameter(WIDGET_ERRORS[error.filter]) from error
    return {
        "locale": locale,
        "function": found.function,
        "region": found.region,
        "tag": found.tag,
        "limit": clamp_limit(params.get("limit")),
    }


def widget_kind():
    """The content kind the widget lists (``in_widget``: lessons)."""
    return next(kind for kind in content_types.kinds() if kind.in_widget)


def widget_lessons(widget_filters):
    """The newest public lessons for the filters, newest first (date, then newest page)."""
    kind = widget_kind()
    lessons = public_pages(kind.get_model(), locale=widget_filters["locale"])
    # Like the lesson index: a region includes every region below it.
    found = filters.Filters(
        function=widget_filters["function"],
        region=widget_filters["region"],
        tag=widget_filters["tag"],
    )
    lessons = filters.narrow(lessons, found, kind)
    if found.tag:
        lessons = lessons.distinct()
    return list(lessons.order_by(f"-{kind.date_field}", "-pk")[: widget_filters["limit"]])


def _index_url(request, filters):
    """The all-lessons index (the top index of the widget's kind) in the widget's language,
    narrowed by the same filters."""
    kind, index = widget_kind(), None
    for model in kind.get_index_models():
        index = (
            public_pages(model, locale=filters["locale"])
            .filter(kind.top_index)
            .order_by("depth", "path")
            .first()
        )
        if index is not None:
            break
    if index is None:
        return public_url(f"/{filters['locale'].language_code}/")
    query = {
        "function": filters["function"],
        "region": filters["region"].slug if filters["region"] else "",
        "tag": filters["tag"],
    }
    query = urlencode({key: value for key, value in query.items() if value})
    return index.get_full_url(request) + (f"?{query}" if query else "")


def _widget_headers(response):
    # Any site may frame the widget: CSP for current browsers, and no X-Frame-Options
    # (``xframe_options_exempt``), which would forbid it whatever the CSP says. Otherwise
    # it loads nothing: its one inline style block, no script, no image, no form.
    response["Content-Security-Policy"] = WIDGET_POLICY
    # A minute: the widget shows the urgent notices in force, which start and end by the
    # clock (no generation ETag either, pioneer.caching.nginx.TIMED).
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@xframe_options_exempt
def embed_lessons(request):
    """``GET /embed/lessons/``: the latest public lessons as an iframe-ready HTML list."""
    try:
        filters = _parse(request.GET)
    except BadParameter as error:
        # Framable too, so a partner with a mistyped snippet reads why in the iframe.
        response = HttpResponseBadRequest(
            ERRORS[str(error)], content_type="text/plain; charset=utf-8"
        )
        return _widget_headers(response)

    language = filters["locale"].language_code
    with translation.override(language):
        context = widget_context(request, filters)
        html = render_to_string("lessons/embed.html", context)
        # The contract is "under 10 KB": a pathological set of very long titles and URLs
        # costs the list its last items rather than breaking the promise.
        while len(html.encode()) >= MAX_BYTES and len(context["lessons"]) > 1:
            context["lessons"] = context["lessons"][:-1]
            html = render_to_string("lessons/embed.html", context)
    return _widget_headers(HttpResponse(html, content_type="text/html; charset=utf-8"))


MAX_NOTICES = 2  # the most severe notices in force, above the lessons


def widget_notices(request, widget_filters):
    """The urgent notices in force for the widget's region (none chosen: the province's),
    from the apps that keep them (the ``pioneer_notices_in_force`` hooks)."""
    found = []
    for hook in hooks.get_hooks("pioneer_notices_in_force"):
        found += hook(widget_filters["locale"], widget_filters["region"])
    return [
        {
            "title": notice.title,
            "level": notice.level,
            "level_label": notice.level_label,
            "url": public_url(notice.url),
        }
        for notice in found[:MAX_NOTICES]
    ]


def widget_context(request, filters):
    """What the widget shows, in the active language."""
    lessons = widget_lessons(filters)
    language = filters["locale"].language_code
    return {
        "notices": widget_notices(request, filters),
        "lessons": [
            {
                "title": lesson.title,
                "url": lesson.get_full_url(request),
                "function": lesson.function_label,
                "date": lesson.date,
                "minutes": lesson.duration_minutes,
            }
            for lesson in lessons
        ],
        "html_lang": LOCALES[language],
        "function_label": Function(filters["function"]).label if filters["function"] else "",
        "region": filters["region"],
        "index_url": _index_url(request, filters),
        "site_name": site_identity(request)["site_text"].site_name,
    }


def _em(ch):
    """About how many ems a character takes: CJK and full-width characters exactly one;
    Latin ones about as wide as in DejaVu Sans (Debian's), among the widest."""
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if ch == " ":
        return 0.32
    if ch in ".,:;·-'’()/":
        return 0.38
    if ch.isdigit():
        return 0.64
    return 0.7 if ch.isupper() else 0.55


# What a line may break between: each CJK character, or a run of other characters with
# the spaces after it (a Latin word).
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKENS = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+\s*|\s+")


def _lines(text, font_px, bold=False):
    """How many lines ``text`` takes in the widget's narrowest column: words laid out one
    after another as the browser does, a little short of the full width (Chinese
    punctuation may not start a line, so the character before it can move down too)."""
    limit = TEXT_WIDTH - font_px / 2
    scale = font_px * (1.06 if bold else 1.0)
    lines, used = 1, 0.0
    for token in _TOKENS.findall(text):
        word = token.rstrip()
        width = sum(_em(ch) for ch in word) * scale
        if used and used + width > limit:
            lines, used = lines + 1, 0.0
        used += width + (len(token) - len(word)) * _em(" ") * scale
    return lines


def fitted_height(context):
    """The frame height the widget's actual list needs in the narrowest column it is
    offered for (wider columns wrap less and leave a little room below)."""
    region = context["region"]
    parts = (_("最新课程"), context["function_label"], region.label if region else "")
    heading = " · ".join(str(part) for part in parts if part)
    height = FRAME_FIXED + _lines(heading, 16, bold=True) * HEADING_LINE
    for notice in context.get("notices", ()):
        title = notice["title"] if len(notice["title"]) <= 60 else notice["title"][:59] + "…"
        height += NOTICE_FIXED + _lines(f"{notice['level_label']}  {title}", 14, bold=True) * 22.4
    height += _lines(f"{_('更多课程')} · {context['site_name']}", 14) * MORE_LINE
    if not context["lessons"]:
        return math.ceil(height + META_LINE)
    for lesson in context["lessons"]:
        meta = f"{lesson['function']} · {lesson['date']:%Y-%m-%d}"
        if lesson["minutes"]:
            minutes = ngettext("%(minutes)s 分钟", "%(minutes)s 分钟", lesson["minutes"])
            meta += " · " + minutes % {"minutes": lesson["minutes"]}
        title = lesson["title"] if len(lesson["title"]) <= 120 else lesson["title"][:119] + "…"
        height += ITEM_FIXED + _lines(title, 15, bold=True) * TITLE_LINE
        height += _lines(meta, 13) * META_LINE
    return math.ceil(height)


@require_safe
@csp_update({"style-src": "'unsafe-inline'"})  # its style block; the preview's style="border:0"
def embed_builder(request):
    """``/<lang>/embed/``: what the widget is, a filter form, the snippet and a preview."""
    locale = active_locale()
    found, bad = filters.read(request.GET, locale, BUILDER_READING, strict=False)
    ignored = ["function" if name == "category" else name for name in bad]
    function, region = found.function, found.region
    try:
        limit = clamp_limit(request.GET.get("limit", "")[:MAX_PARAM_LENGTH])
    except BadParameter:
        ignored.append("limit")
        limit = DEFAULT_LIMIT

    query = {"function": function, "region": region.slug if region else "", "limit": limit}
    if locale.language_code != "zh-hans":
        query["locale"] = locale.language_code
    query = urlencode({key: value for key, value in query.items() if value})
    src = public_url(reverse("embed_lessons")) + "?" + query
    site_name = site_identity(request)["site_text"].site_name
    chosen = {"locale": locale, "function": function, "region": region, "tag": "", "limit": limit}
    with translation.override(locale.language_code):
        height = fitted_height(widget_context(request, chosen))
    snippet = format_html(
        '<iframe src="{}" width="100%" height="{}" style="border:0" title="{}"'
        ' loading="lazy"></iframe>',
        src,
        height,
        _("%(site_name)s课程") % {"site_name": site_name},
    )
    regions = filters.region_choices(locale)
    region_groups = [
        (label, [r for r in regions if r.level == level]) for level, label in Region.Level.choices
    ]
    context = {
        "page_title": _("嵌入本站课程"),
        "functions": Function.choices,
        "region_groups": [(label, items) for label, items in region_groups if items],
        "selected": {"function": function, "region": region.slug if region else "", "limit": limit},
        "max_limit": MAX_LIMIT,
        "ignored_filters": ignored,
        "widget_url": src,
        "snippet": snippet,
    }
    return render(request, "lessons/embed_builder.html", context)


def widget_paths(page):
    """The widget's plain address, for the kinds it lists (``in_widget``, lessons): purged
    with each (``pioneer.caching.front_cache.purge_also``)."""
    kind = content_types.for_model(type(page.specific_deferred))
    return [reverse("embed_lessons")] if kind is not None and kind.in_widget else []
