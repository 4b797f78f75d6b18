"""``load_demo`` fills the site once; running it again changes nothing."""

import io

import pytest
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from lessons.functions import Function
from lessons.models import LessonPage

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Image.objects.count(),
        Document.objects.count(),
    )


def test_load_demo_twice_changes_nothing():
    before = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before


def test_demo_covers_all_five_functions():
    present = set(
        LessonPage.objects.live()
        .filter(locale__language_code="zh-hans")
        .values_list("function", flat=True)
    )
    assert present == set(Function.values)


def test_demo_content_is_chinese():
    for lesson in LessonPage.objects.filter(locale__language_code="zh-hans")[:10]:
        chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in lesson.title + lesson.summary)
        assert chinese >= 5, lesson.title
