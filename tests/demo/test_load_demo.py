"""``load_demo`` fills the site once; running it again changes nothing."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from lessons.models import LessonPage
from pioneer.core.five_functions import Function

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


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


def test_load_demo_says_how_many_exist_and_how_many_it_added():
    """Each line reads "共 N 个，本次新建 M 个" with M at most N: the English line once
    counted translated snippets as new and only pages in the total ("新建 54 个，共 17 个")."""
    from pioneer.models import Topic

    english_topic = Topic.objects.filter(locale__language_code="en").first()
    english_topic.delete()  # one translation for this run to make again
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = {}
    for line in out.getvalue().splitlines():
        match = re.fullmatch(r"(.+)：共 (\d+) 个，本次新建 (\d+) 个", line)
        if match:
            label, total, created = match.group(1), int(match.group(2)), int(match.group(3))
            assert created <= total, line
            counts[label] = (total, created)
    assert set(counts) == {
        "课程和专题",
        "工作动态",
        "政策文件",
        "预警通知",
        "站点留言",
        "节目单（一周）",
        "英文译本（话题和网站文字）",
        "英文译本（页面）",
    }, out.getvalue()
    assert counts["英文译本（话题和网站文字）"][1] == 1
    assert counts["英文译本（页面）"] == (
        Page.objects.filter(locale__language_code="en", alias_of__isnull=True).count(),
        0,
    )
    assert all(created == 0 for label, (_, created) in counts.items() if "英文" not in label)
