"""What the accessibility tests share: one example URL per public page type, and axe-core.

axe-core comes from npm, pinned in package-lock.json and installed by ``./dev test``
(``npm ci`` into node_modules/); the tests inject it into pages with Playwright.
"""

from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

PAGE_TYPES = (
    "home",
    "lesson index",
    "lesson",
    "lesson with video",
    "series",
    "news index",
    "news",
    "policy library",
    "policy",
    "search results",
    "empty search",
    "404",
    "embed",
    "notice index",
    "notice",
    "region chooser",
    "message form",
    "answered messages",
    "schedule",
    "schedule week",
)
# The demo's notice in force is for this county: the pages are visited as a learner who
# chose it, so every page shows its banner (and the home page its local content).
DEMO_NOTICE_REGION = "kaihua"


def axe_source():
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: ./dev test installs it (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def _first(model, language, **filters):
    from pioneer.core.public import public_pages

    page = (
        public_pages(model, locale=False)
        .filter(locale__language_code=language, **filters)
        .order_by("path")
        .first()
    )
    assert page is not None, f"the demo has no public {model.__name__} in {language}"
    return page


def page_urls(language):
    """One URL per public page type in ``language`` (``zh-hans`` or ``en``).

    English lesson, news and series pages the demo has not translated are left out by
    ``public_pages`` (aliases), so the English examples are translated pages wherever the
    demo has one.
    """
    from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
    from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
    from notices.models import NoticePage

    lesson_index = _first(LessonIndexPage, language, function__gt="")
    lesson = _first(LessonPage, language)
    word = lesson.title.split()[0] if language == "en" else lesson.title[:2]
    urls = {
        "home": f"/{language}/",
        "lesson index": lesson_index.url,
        "lesson": lesson.url,
        "lesson with video": _lesson_with_video(language).url,
        "series": _page_or_chinese(LessonSeriesPage, language).url,
        "news index": _first(NewsIndexPage, language).url,
        "news": _page_or_chinese(NewsPage, language).url,
        "policy library": _first(PolicyIndexPage, language).url,
        "policy": _first(PolicyPage, language).url,
        "search results": f"/{language}/search/?q={word}",
        "empty search": f"/{language}/search/?q=zzqqxxjj",
        "404": f"/{language}/no-such-page/",
        "embed": f"/embed/lessons/?locale={language}&region={DEMO_NOTICE_REGION}",
        "notice index": f"/{language}/notices/",
        "notice": _page_or_chinese(NoticePage, language).url,
        "region chooser": f"/{language}/region/",
        "message form": f"/{language}/messages/new/",
        "answered messages": f"/{language}/messages/",
        "schedule": f"/{language}/schedule/zjyj/",
        "schedule week": f"/{language}/schedule/zjyj/print/",
    }
    assert tuple(urls) == PAGE_TYPES
    return urls


def _lesson_with_video(language):
    """A lesson with the site's own video player (axe checks its captions track)."""
    from lessons.models import LessonPage
    from pioneer.core.public import public_pages

    lessons = public_pages(LessonPage, locale=False).filter(locale__language_code=language)
    for lesson in lessons.order_by("path"):
        if any(block.block_type == "video" for block in lesson.body):
            return lesson
    raise AssertionError(f"the demo has no public lesson with video in {language}")


def _page_or_chinese(model, language):
    """The page type in ``language``, or the Chinese page its English alias leads to."""
    from pioneer.core.public import public_pages

    if public_pages(model, locale=False).filter(locale__language_code=language).exists():
        return _first(model, language)
    return _first(model, "zh-hans")
