"""Audio and video formats learners' phones play, and what a file costs them.

Learners watch on cheap phones, often on 2G: MP4 (H.264 video, AAC sound) and MP3 or
AAC (M4A) audio play on every phone, iPhones included; WebM and Ogg do not play on
older iPhones, and a WAV is uncompressed (a 25-minute lesson weighs about 22 MB even at
telephone quality, 10 times its MP3). The admin tells an editor who uploads such a file,
or a video far heavier than a 2G connection carries, what each learner will download
and what to do instead (:class:`DocumentForm`). The data saver shows an image as a link
that says its weight (``{% image_link %}``, registered in ``pioneer_tags``).
"""

import os

from django import forms
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents.forms import BaseDocumentForm

from pioneer.core.outages import STORAGE_ERRORS

MEDIA_TYPES = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
}
EVERY_PHONE = {"mp4", "m4v", "mp3", "m4a", "aac"}
VIDEO = {"mp4", "m4v", "webm"}

# What a learner on 2G (EDGE) gets in practice, in bits per second.
SLOW_NETWORK_BPS = 100_000
# A lesson's video beyond this average rate (bits per second) is far heavier than 2G can
# carry: 480p H.264 at about 400 kbit/s is what the programme's own videos use.
HEAVY_VIDEO_BPS = 600_000
SUGGESTED_VIDEO_KBPS = 400
SUGGESTED_AUDIO_KBPS = 64
# Without a duration to go on (a file PyAV cannot read), a video past this size.
HEAVY_VIDEO_BYTES = 50 * 1024 * 1024


def media_type(document):
    """The MIME type to announce in a ``<source>`` for ``document``'s file."""
    extension = os.path.splitext(document.file.name)[1][1:].lower()
    return MEDIA_TYPES.get(extension, document.content_type)


def _duration(document):
    """Seconds of audio or video in ``document``, or ``None`` if it cannot be read."""
    try:
        import av

        with document.file.open("rb") as handle, av.open(handle) as container:
            if container.duration:
                return container.duration / 1_000_000
    except Exception:  # a damaged or unknown file: no duration, no advice from it
        return None
    return None


def _minutes_on_2g(size):
    return max(1, round(size * 8 / SLOW_NETWORK_BPS / 60))


def _advice(document):
    extension = os.path.splitext(document.file.name)[1][1:].lower()
    if extension not in MEDIA_TYPES:
        return None
    size = document.get_file_size() or document.file.size
    cost = _(
        "学员每次播放要下载 %(size)s，在 2G 网络（约 100 kbit/s）下约需 %(minutes)s 分钟。"
    ) % {"size": filesizeformat(size), "minutes": _minutes_on_2g(size)}
    duration = _duration(document)
    if extension == "wav":
        smaller = ""
        if duration:
            smaller = _("转换后约 %(size)s。") % {
                "size": filesizeformat(duration * SUGGESTED_AUDIO_KBPS * 1000 / 8)
            }
        return (
            cost
            + _(
                "WAV 是未压缩的音频，请转成 MP3 或 M4A（AAC），讲课录音用 %(kbps)s kbit/s "
                "单声道即可，每部手机都能播放。"
            )
            % {"kbps": SUGGESTED_AUDIO_KBPS}
            + smaller
        )
    if extension not in EVERY_PHONE:
        return cost + _(
            "部分手机（尤其是较旧的 iPhone）不能播放 %(format)s 文件，请改用 "
            "MP4（H.264 视频、AAC 音频）或 MP3 音频。"
        ) % {"format": extension.upper()}
    if duration:
        heavy = size * 8 / duration > HEAVY_VIDEO_BPS
    else:
        heavy = size > HEAVY_VIDEO_BYTES
    if extension in VIDEO and heavy:
        return cost + _(
            "这个视频对农村学员的网络来说太大，建议压缩为 480p 以下的 H.264 MP4，"
            "码率约 %(kbps)s kbit/s。"
        ) % {"kbps": SUGGESTED_VIDEO_KBPS}
    return None


def learner_advice(document):
    """What ``document`` costs a learner and what to do instead, in the editor's language,
    or ``None`` when it is fine. Kept per file (its hash), since reading the duration
    opens the file (from the object store, a download)."""
    if not document.file:
        return None
    key = f"media-advice:{document.file_hash or document.file.name}"
    found = cache.get(key)
    if found is None:
        found = _advice(document) or ""
        cache.set(key, found, 7 * 24 * 3600)
    return found or None


class AdviceWidget(forms.Widget):
    """Shows the advice as a warning; it has no value to submit."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<p class="help-block help-warning" role="status">{}</p>', value)

    def value_from_datadict(self, data, files, name):
        return None


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (edit page and the multiple uploader's form shown after
    each upload), with the learners' cost of an audio or video file when it is too high."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        advice = learner_advice(self.instance) if self.instance.pk else None
        if advice:
            self.fields["learner_cost"] = forms.CharField(
                label=gettext_lazy("学员流量"),
                required=False,
                disabled=True,
                initial=advice,
                widget=AdviceWidget,
            )


def rendition_bytes(rendition):
    """A rendition's file size, remembered in the cache (on S3 it costs a request); None
    while the storage does not answer (asked again next time)."""
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


def image_link(rendition, alt=""):
    """The data saver's stand-in for an image: a link to it that says how heavy it is
    (when the storage can tell)."""
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
