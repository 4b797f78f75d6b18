"""What partners and nginx fetch of the notices: the banner include, RSS/Atom feeds (all
notices, or those concerning one region), one notice as a CAP 1.2 alert, and JSON.

Every answer here depends on the clock (a notice starts and ends without being
published), so each is kept at most ``TIMED_MAX_AGE`` seconds and gets no generation ETag
(``pioneer.caching.nginx.TIMED``).
"""

import json
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from notices import current
from notices.models import SEVERITY, TIMED_MAX_AGE, Level, notices_for
from pioneer.core.addresses import public_url
from pioneer.core.i18n import locale_or_404
from pioneer.core.regions import find_region

TZ = ZoneInfo(settings.TIME_ZONE)
LANGUAGES = ("zh-hans", "en")
CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
# CAP's severity and urgency for China's four colours (GB/T 35965 maps the same way).
CAP_SEVERITY = {Level.RED: "Extreme", Level.ORANGE: "Severe", Level.YELLOW: "Moderate"}
CAP_URGENCY = {Level.RED: "Immediate", Level.ORANGE: "Immediate", Level.YELLOW: "Expected"}


def _timed(response):
    response["Cache-Control"] = f"public, max-age={TIMED_MAX_AGE}"
    return response


@require_safe
def banner(request, language, region):
    """``/_notices/<lang>/<region slug or ->/``: the banner nginx includes in each page."""
    locale = locale_or_404(language)
    try:
        html = current.render_banner(locale, region, quiet=False)
    except DatabaseError:  # nginx shows its last copy, or nothing
        return HttpResponse(status=503)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    return _timed(response)


def _region(locale, key):
    if key is None:
        return None
    region = find_region(key, locale)
    if region is None:
        raise Http404("unknown region")
    return region


def _notices(locale, region):
    """Notices not yet ended (in force, or announced), most severe first; of a region:
    those concerning it, above it or below it."""
    notices = current.concerning(locale, region) if region else list(current.unended(locale))
    return sorted(notices, key=lambda n: (SEVERITY.get(n.level, 9), -n.starts_at.timestamp()))


def _when(notice):
    start, end = timezone.localtime(notice.starts_at, TZ), timezone.localtime(notice.ends_at, TZ)
    return _("%(start)s 至 %(end)s（北京时间）") % {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": end.strftime("%Y-%m-%d %H:%M"),
    }


class NoticeAtomFeed(Atom1Feed):
    """Atom with each entry's CAP alert linked, as warning systems read alert indexes."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("cap_url"):
            handler.addQuickElement(
                "link",
                "",
                {"rel": "alternate", "type": "application/cap+xml", "href": item["cap_url"]},
            )


def _feed(request, language, key, feed_type):
    locale = locale_or_404(language)
    region = _region(locale, key)
    with translation.override(language):
        title = _("预警通知")
        if region is not None:
            title = f"{title} · {region.label}"
        index_path = f"/{language}/notices/"
        feed = feed_type(
            title=f"{title} - {_('时代先锋网')}",
            link=public_url(index_path),
            description=_("浙江省农村党员干部现代远程教育：生效和即将生效的预警通知"),
            language=language,
            feed_url=public_url(request.path),
        )
        for notice in _notices(locale, region):
            feed.add_item(
                title=f"【{notice.level_label}】{notice.title}",
                link=public_url(notice.url),
                description=f"{notice.summary}\n{_when(notice)}\n"
                + _("涉及地区：%(areas)s；发布单位：%(issuer)s")
                % {"areas": "、".join(notice.area_names), "issuer": notice.issuer},
                pubdate=notice.starts_at,
                updateddate=notice.starts_at,
                unique_id=public_url(notice.url),
                categories=[notice.level_label],
                author_name=notice.issuer,
                cap_url=public_url(
                    reverse("notice_cap", kwargs={"language": language, "pk": notice.pk})
                ),
            )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return _timed(response)


@require_safe
def rss(request, language, key=None):
    return _feed(request, language, key, Rss201rev2Feed)


@require_safe
def atom(request, language, key=None):
    return _feed(request, language, key, NoticeAtomFeed)


def _cap_time(value):
    return timezone.localtime(value, TZ).isoformat(timespec="seconds")


@require_safe
def cap(request, language, pk):
    """One notice as a CAP 1.2 alert (OASIS Common Alerting Protocol), its areas named by
    their GB/T 2260 codes."""
    locale = locale_or_404(language)
    page = (
        notices_for(locale).filter(pk=pk).select_related("region").prefetch_related("areas").first()
    )
    if page is None:
        raise Http404("no such notice")
    ET.register_namespace("", CAP_NAMESPACE)

    def add(parent, name, text=None):
        element = ET.SubElement(parent, f"{{{CAP_NAMESPACE}}}{name}")
        if text is not None:
            element.text = str(text)
        return element

    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0]
    alert = ET.Element(f"{{{CAP_NAMESPACE}}}alert")
    add(alert, "identifier", f"{host}-notice-{page.translation_key}")
    add(alert, "sender", host)
    add(alert, "sent", _cap_time(page.first_published_at or page.starts_at))
    add(alert, "status", "Actual")
    add(alert, "msgType", "Alert")
    add(alert, "scope", "Public")
    with translation.override(language):
        info = add(alert, "info")
        add(info, "language", "zh-CN" if language == "zh-hans" else "en")
        add(info, "category", "Other")
        add(info, "event", page.get_level_display())
        add(info, "urgency", CAP_URGENCY.get(page.level, "Future"))
        add(info, "severity", CAP_SEVERITY.get(page.level, "Minor"))
        add(info, "certainty", "Likely")
        add(info, "effective", _cap_time(page.starts_at))
        add(info, "onset", _cap_time(page.starts_at))
        add(info, "expires", _cap_time(page.ends_at))
        add(info, "senderName", page.issuer_label)
        add(info, "headline", page.title)
        add(info, "description", page.summary)
        add(info, "web", public_url(page.get_url() or f"/{language}/notices/"))
        for region in page.area_regions():
            area = add(info, "area")
            add(area, "areaDesc", region.name)
            if region.code:
                geocode = add(area, "geocode")
                add(geocode, "valueName", "GB/T 2260")
                add(geocode, "value", region.code)
    body = ET.tostring(alert, encoding="utf-8", xml_declaration=True)
    return _timed(HttpResponse(body, content_type="application/cap+xml; charset=utf-8"))


@require_safe
def api_notices(request):
    """``/api/notices/?locale=&region=&all=1``: the notices in force (for a region, those
    concerning it), or with ``all=1`` also those announced, as JSON."""
    language = (request.GET.get("locale") or "zh-hans").strip().lower()[:20]
    if language not in LANGUAGES:
        return JsonResponse({"error": "unknown locale", "locales": list(LANGUAGES)}, status=400)
    locale = locale_or_404(language)
    key = (request.GET.get("region") or "").strip()[:50] or None
    region = None
    if key is not None:
        region = find_region(key, locale)
        if region is None:
            return JsonResponse({"error": "unknown region", "region": key}, status=400)
    now = timezone.now()
    notices = _notices(locale, region)
    if request.GET.get("all") != "1":
        notices = [notice for notice in notices if notice.in_force(now)]
    items = [
        {
            "id": notice.pk,
            "title": notice.title,
            "level": notice.level,
            "level_name": notice.level_label,
            "summary": notice.summary,
            "issuer": notice.issuer,
            "areas": list(notice.area_names),
            "starts_at": _cap_time(notice.starts_at),
            "ends_at": _cap_time(notice.ends_at),
            "in_force": notice.in_force(now),
            "url": public_url(notice.url),
            "cap_url": public_url(
                reverse("notice_cap", kwargs={"language": language, "pk": notice.pk})
            ),
        }
        for notice in notices
    ]
    response = HttpResponse(
        json.dumps({"count": len(items), "items": items}, ensure_ascii=False),
        content_type="application/json",
    )
    return _timed(response)
