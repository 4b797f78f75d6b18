"""What the lessons app declares in the content-type registry (``pioneer.core.content_types``)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pioneer.core.content_types import ContentKind, register

LESSON = ContentKind(
    "lesson",
    _("课程"),
    "lessons.LessonPage",
    also_searched=("lessons.LessonSeriesPage",),
    index_models=("lessons.LessonIndexPage",),
    function_field="function",
    feed="lessons",
    feed_by_function=True,
    in_region_feeds=True,
    in_widget=True,
    feed_title=_("最新课程"),
    author_field="producer",
    category_field="function",
    feed_enclosure=True,
    home_feed=True,
    importer="lessons.records.LESSON_RECORDS",
    top_index=Q(function=""),  # the all-lessons index; the functions' indexes below it
    office_sections=~Q(function=""),
)


def register_kinds():
    register(LESSON)
