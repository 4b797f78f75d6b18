"""Today's slots of a channel as a short plain text, for an SMS or a WeChat message that a
station manager forwards to the village:

    浙江远程教育频道 12月4日（周四）节目：
    19:30 茶园冬季管理（实用技术培训）
    20:10 柑橘冬季修剪（实用技术培训，重播）
    详见 https://…/zh-hans/schedule/zjyj/

China time, read through ``schedule.listing`` like the page. At most ``MAX_CHARS``
characters: when today has more slots than fit, those already ended go first, then the
latest, and a line says how many there are ("等 N 个节目").
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from pioneer.core.addresses import public_url
from schedule import listing
from schedule.models import Channel

MAX_CHARS = 300
TITLE_CHARS = 24  # a longer title is cut with "…"
WEEKDAYS = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)


def _source(channel):
    """The channel the slots belong to: ``channel``, or its source when it is a translation."""
    if channel.locale.language_code == settings.LANGUAGE_CODE:
        return channel
    source = Channel.objects.filter(
        translation_key=channel.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return source or channel


def _cut(title):
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def _line(item):
    start = timezone.localtime(item.starts_at, listing.TZ)
    notes = [item.function_label] if item.function_label else []
    if item.repeat:
        notes.append(_("重播"))
    title = _cut(item.title)
    if notes:
        # Translators: one slot in today's text: its time, title and notes in brackets.
        return _("%(time)s %(title)s（%(notes)s）") % {
            "time": f"{start:%H:%M}",
            "title": title,
            "notes": pgettext("list separator", "，").join(notes),
        }
    return f"{start:%H:%M} {title}"


def today_text(channel, locale, now=None, limit=MAX_CHARS):
    """Today's slots (China's day of ``now``) of ``channel`` in ``locale``'s words."""
    from schedule.feeds import channel_page_path

    now = now or timezone.now()
    source = _source(channel)
    language = locale.language_code
    with translation.override(language):
        today = listing.local_today(now)
        ((_day, items),) = listing.days(source, locale, today=today, count=1)
        header = _("%(channel)s %(date)s节目：") % {
            "channel": listing.channel_name(source, locale),
            "date": _("%(month)d月%(day)d日（%(weekday)s）")
            % {"month": today.month, "day": today.day, "weekday": WEEKDAYS[today.weekday()]},
        }
        link = _("详见 %(url)s") % {"url": public_url(channel_page_path(language, source.slug))}
        if not items:
            return "\n".join([header, _("今天没有节目。"), link])
        lines = [_line(item) for item in items]
        more = _("等 %(count)d 个节目") % {"count": len(items)}

        def text(kept):
            body = [lines[index] for index in kept]
            if len(kept) < len(items):
                body.append(more)
            return "\n".join([header, *body, link])

        kept = list(range(len(items)))
        while kept and len(text(kept)) > limit:
            ended = [index for index in kept if items[index].ends_at <= now]
            kept.remove(ended[0] if ended else kept[-1])
        return text(kept)
