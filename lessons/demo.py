"""Demo lessons and series, built from ``lessons/demo_data.py`` through the page APIs."""

import datetime

from django.db import transaction
from django.utils.html import escape
from wagtail.rich_text import RichText

from lessons.demo_data import LESSONS, SERIES
from lessons.models import LessonPage, LessonSeriesPage, SeriesMember
from pioneer.core.five_functions import Function
from pioneer.demo import make_audio, make_cover, make_handout, make_video, paragraphs_html


def _timed(items, minutes):
    """A video lesson's first outline as a timed transcript ("03:20 要点"), spread over its
    stated length: what the lesson's captions track is made from."""
    step = (minutes or 10) * 60 // max(len(items), 1)
    return [f"{i * step // 60:02d}:{i * step % 60:02d} {item}" for i, item in enumerate(items)]


def _body(spec, cover, media):
    body = []
    timed = media is not None and media[0] == "video"
    if media is not None:
        kind, document = media
        if kind == "video":
            body.append(("video", {"file": document, "poster": cover, "title": spec["title"]}))
        else:
            body.append(("audio", {"file": document, "title": spec["title"]}))
    for section in spec["sections"]:
        kind = section["type"]
        if kind == "paragraph":
            body.append(("paragraph", RichText(paragraphs_html([section["text"]]))))
        elif kind == "outline":
            lines = section["items"]
            if timed:
                lines, timed = _timed(lines, spec.get("duration_minutes")), False
            items = "".join(f"<li>{escape(item)}</li>" for item in lines)
            body.append(
                ("outline", {"heading": section["heading"], "text": RichText(f"<ul>{items}</ul>")})
            )
        elif kind == "steps":
            steps = [{"text": text, "image": None} for text in section["steps"]]
            body.append(("steps", {"title": section.get("title", ""), "steps": steps}))
        elif kind == "quote":
            body.append(("quote", {"text": section["text"], "source": section.get("source", "")}))
    return body


def _media(spec, index):
    function = spec["function"]
    if spec.get("media") == "video":
        return "video", make_video(
            f"演示视频：{Function(function).label}", function, f"v-{function}"
        )
    if spec.get("media") == "audio":
        return "audio", make_audio(f"演示音频 {index % 4 + 1}", f"a-{index % 4}")
    return None


def load_lessons(tree):
    indexes, regions = tree["function_indexes"], tree["regions"]
    created = 0
    by_slug = {}
    for index, spec in enumerate(LESSONS):
        parent = indexes[spec["function"]]
        existing = LessonPage.objects.filter(slug=spec["slug"], locale=tree["locale"]).first()
        if existing is not None:
            by_slug[spec["slug"]] = existing
            continue
        with transaction.atomic():
            cover = make_cover(f"课程封面：{spec['title']}", spec["function"], spec["slug"])
            media = _media(spec, index)
            body = _body(spec, cover, media)
            handout = make_handout(f"{spec['title']}（讲义）", spec["function"], spec["slug"])
            body.append(("attachment", {"document": handout, "title": "课程讲义（PDF）"}))
            page = LessonPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                cover=cover,
                body=body,
                function=spec["function"],
                region=regions.get(spec.get("region")),
                producer=spec.get("producer", ""),
                audience=spec.get("audience", ""),
                duration_minutes=spec.get("duration_minutes"),
                date=datetime.date.fromisoformat(spec["date"]),
            )
            page.tags.add(*spec.get("tags", []))
            parent.add_child(instance=page)
            page.save_revision().publish()
        by_slug[spec["slug"]] = page
        created += 1
    for spec in SERIES:
        parent = indexes[spec["function"]]
        if LessonSeriesPage.objects.filter(slug=spec["slug"], locale=tree["locale"]).exists():
            continue
        with transaction.atomic():
            series = LessonSeriesPage(
                title=spec["title"], slug=spec["slug"], summary=spec["summary"]
            )
            series.members = [
                SeriesMember(lesson=by_slug[slug], sort_order=order)
                for order, slug in enumerate(spec["lessons"])
            ]
            parent.add_child(instance=series)
            series.save_revision().publish()
        created += 1
    locale = tree["locale"]
    lessons = LessonPage.objects.filter(locale=locale).count()
    return created, lessons + LessonSeriesPage.objects.filter(locale=locale).count()
