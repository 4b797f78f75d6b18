"""WebVTT captions made from a lesson's transcript, where the transcript gives timings.

Editors write timed transcripts the way they are usually typed: each line (a list item or
a paragraph of an outline/文字稿 block) starting with a time, ``00:15 选种……``,
``[1:02:30] ……`` or ``（03:20）……``. Each timed line becomes a cue that lasts until the
next one; the last lasts until the lesson's stated duration or, failing that, a while.
A video with an uploaded captions file (the video block's 字幕 field) uses that instead.
"""

import re
from html import unescape

from django.utils.html import strip_tags

# A time at the start of a line, optionally bracketed: mm:ss, h:mm:ss, with .fraction.
TIMED_LINE = re.compile(
    r"^\s*[\[【(（]?\s*(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>[0-5]\d)(?:[.,](?P<f>\d{1,3}))?"
    r"\s*[\]】)）]?\s*[-–—:：]?\s*(?P<text>\S.*)$"
)
LAST_CUE_SECONDS = 10.0  # when the lesson does not say how long it is
LINE_BREAKS = re.compile(r"</(?:li|p|h[1-6])>|<br\s*/?>", re.IGNORECASE)


def _seconds(match):
    hours = int(match["h"] or 0)
    fraction = float(f"0.{match['f']}") if match["f"] else 0.0
    return hours * 3600 + int(match["m"]) * 60 + int(match["s"]) + fraction


def timed_lines(html):
    """(start seconds, text) for each line of ``html`` that begins with a time."""
    lines = []
    for chunk in LINE_BREAKS.split(html):
        text = " ".join(unescape(strip_tags(chunk)).split())
        match = TIMED_LINE.match(text)
        if match:
            lines.append((_seconds(match), match["text"]))
    return lines


def transcript_cues(lesson):
    """Cues (start, end, text) from the lesson's outline blocks, in time order."""
    lines = []
    for block in lesson.body:
        if block.block_type == "outline":
            lines += timed_lines(block.value["text"].source)
    lines.sort(key=lambda line: line[0])
    cues = []
    for position, (start, text) in enumerate(lines):
        if position + 1 < len(lines):
            end = lines[position + 1][0]
        else:
            stated = (lesson.duration_minutes or 0) * 60
            end = stated if stated > start else start + LAST_CUE_SECONDS
        if end > start:
            cues.append((start, end, text))
    return cues


def _timestamp(seconds):
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues):
    """A WebVTT file; cue text may not hold "-->" or a blank line, and "<" and "&" are
    escaped (cue text is a small markup language of its own)."""
    parts = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cues, 1):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace("-->", "→")
        parts += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", text, ""]
    return "\n".join(parts)
