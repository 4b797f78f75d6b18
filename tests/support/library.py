"""Content that several partner and lesson tests share, built with the factories."""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from pioneer import compat
from tests.support.factories import (
    make_lesson,
    make_media_lesson,
    make_news,
    make_policy,
    make_series,
    make_translation,
    region,
)


def make_cover(title, colour=(40, 120, 60)):
    """A 640×360 cover, as editors upload: large enough for the 320×180 listing rendition
    (``make_image``'s 64×48 picture renders smaller than the size listings promise)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), colour).save(buffer, "JPEG")
    image = get_image_model()(title=title, file=ContentFile(buffer.getvalue(), name="cover.jpg"))
    compat.set_file_metadata(image)
    image.save()
    return image


def small_library():
    """A few pages that cover every value partners filter on, so listings, feeds and API
    answers have pages that match each filter and pages that do not: the five functions,
    a city and a county under it (hangzhou → tonglu, huzhou → anji), the tag 水稻 on
    lessons of two functions, dates in 2025 and in the first half of 2026, a lesson with
    video and audio (feed enclosures), a series of two, news in two cities, two policies
    (one amends the other), and the English of one lesson and one policy. Titles, slugs
    and document numbers are the library's own, so it also builds on top of the demo."""
    rice = make_media_lesson(
        "样书水稻育秧技术",
        audio=True,
        tags=["水稻"],
        region=region("hangzhou"),
        date=datetime.date(2026, 3, 1),
        duration_minutes=30,
        producer="样书制作中心",
        cover=make_cover("样书育秧封面"),
    )
    lessons = {
        "rice": rice,
        "pests": make_lesson(
            "样书水稻病虫害防治技术",
            function="response",
            tags=["水稻"],
            region=region("tonglu"),
            date=datetime.date(2026, 5, 1),
            duration_minutes=10,
        ),
        "tea": make_lesson(
            "样书茶园春管技术",
            tags=["茶叶"],
            region=region("anji"),
            date=datetime.date(2025, 10, 1),
        ),
        "hall": make_lesson(
            "样书文化礼堂活动",
            function="culture",
            region=region("huzhou"),
            date=datetime.date(2026, 2, 1),
        ),
        "opera": make_lesson("样书越剧欣赏", function="culture", date=datetime.date(2025, 4, 1)),
        "theory": make_lesson("样书理论学习", function="theory", date=datetime.date(2025, 6, 1)),
        "station": make_lesson(
            "样书远程教育站点管理", function="education", date=datetime.date(2026, 6, 15)
        ),
    }
    series = make_series("样书水稻种植专题", [rice, lessons["pests"]])
    news = [
        make_news("样书湖州远程教育培训", "huzhou", date=datetime.date(2026, 4, 1)),
        make_news("样书桐庐党员冬训", "tonglu", date=datetime.date(2026, 1, 10)),
    ]
    notice = make_policy("样书远程教育工作通知", doc_number="浙样书〔2026〕1号")
    amendment = make_policy(
        "样书远程教育工作通知的修订",
        doc_number="浙样书〔2026〕2号",
        relations=[("amends", notice)],
        issue_date=datetime.date(2026, 3, 1),
    )
    english = {
        "lesson": make_translation(
            rice,
            {rice.title: "Sample: raising rice seedlings", rice.summary: "Raising rice seedlings."},
        ),
        "policy": make_translation(notice, {notice.title: "Sample: distance education notice"}),
    }
    return {
        "lessons": lessons,
        "series": series,
        "news": news,
        "policies": [notice, amendment],
        "english": english,
    }
