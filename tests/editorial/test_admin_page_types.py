"""What editors are offered as page types: a function's index takes lessons and series,
not another lesson index."""

import pytest

from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
from tests.support.editorial import make_user
from tests.support.factories import function_index

pytestmark = pytest.mark.django_db


def test_a_function_index_does_not_offer_a_nested_lesson_index(client, admin_user):
    parent = function_index("skills")
    assert not LessonIndexPage.can_create_at(parent)
    assert LessonPage.can_create_at(parent) and LessonSeriesPage.can_create_at(parent)
    for user in (make_user("tonglu-editor", "tonglu", "editor"), admin_user):
        client.force_login(user)
        choices = client.get(f"/admin/pages/{parent.pk}/add_subpage/", follow=True)
        html = choices.content.decode()
        assert "/add/lessons/lessonpage/" in html
        assert "/add/lessons/lessonindexpage/" not in html, user.username
        forced = client.get(f"/admin/pages/add/lessons/lessonindexpage/{parent.pk}/")
        assert forced.status_code in (302, 403)


def test_the_all_lessons_index_still_takes_a_new_function_index(admin_user):
    lessons_root = function_index("skills").get_parent()
    assert LessonIndexPage.can_create_at(lessons_root)
