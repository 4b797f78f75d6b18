"""The review workflow as the admin drives it, shared by the review tests: submit a lesson,
read its current stage, act on it."""

import datetime

from django.urls import reverse
from wagtail.models import WorkflowState

from lessons.models import LessonPage
from tests.support.editorial import PASSWORD, lesson_form, region
from tests.support.factories import function_index


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def submit_new_lesson(client, author, region_slug, slug="shenhe-ceshi"):
    """The author creates a lesson in the admin and submits it for review."""
    login(client, author)
    template = LessonPage(title="茶园春季管理要点", slug=slug, summary="春茶开采前的管理。")
    template.function = "skills"
    template.region = region(region_slug)
    template.date = datetime.date(2026, 3, 1)
    parent = function_index("skills")
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("lessons", "lessonpage", parent.pk)),
        lesson_form(
            template, action="action-submit", text="<p>春茶开采前要修剪、施肥、防霜冻。</p>"
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    page = LessonPage.objects.get(slug=slug, locale__language_code="zh-hans")
    assert page.workflow_in_progress
    return page


def current_stage(page):
    state = WorkflowState.objects.get(
        base_content_type=page.get_base_content_type(),
        object_id=str(page.pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return state.current_task_state


def act(client, user, page, action, comment=""):
    login(client, user)
    task_state = current_stage(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment} if comment else {})
