"""Every page type a learner can open, for the tests that go through each one (rendering,
the admin's edit form)."""

from home.models import HomePage
from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
from notices.models import NoticeIndexPage, NoticePage

PAGE_TYPES = [
    HomePage,
    LessonIndexPage,
    LessonPage,
    LessonSeriesPage,
    NewsIndexPage,
    NewsPage,
    PolicyIndexPage,
    PolicyPage,
    NoticeIndexPage,
    NoticePage,
]
