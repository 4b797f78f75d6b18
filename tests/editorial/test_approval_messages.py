"""Approving says so: each stage's approval names the next stage, and the last one, which
publishes the page, says 已批准并发布 (Wagtail's approve action showed nothing)."""

import pytest
from django.urls import reverse

from tests.support.review import act, current_stage, submit_new_lesson

pytestmark = pytest.mark.django_db


def test_each_approval_is_confirmed_and_the_last_says_published(client, offices):
    page = submit_new_lesson(client, offices["author"], "tonglu")
    act(client, offices["tonglu"], page, "approve")
    shown = client.get("/admin/").content.decode()
    assert f"已批准《{page.title}》，已送交" in shown and "市级审核" in shown
    act(client, offices["hangzhou"], page, "approve")
    assert "已送交" in client.get("/admin/").content.decode()
    response = act(client, offices["province"], page, "approve")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert f"已批准并发布《{page.title}》。" in client.get("/admin/").content.decode()


def test_an_approval_through_the_dashboards_dialog_is_confirmed(client, offices):
    page = submit_new_lesson(client, offices["author"], "tonglu")
    client.force_login(offices["tonglu"])
    task_state = current_stage(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    answer = client.post(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert answer.json()["step"] == "success"  # the dialog then reloads the dashboard
    assert f"已批准《{page.title}》" in client.get("/admin/").content.decode()
