"""Background tasks in the database (production's TASKS_BACKEND=database), run by the
real ``db_worker``: a failed task is tried again, and what keeps failing stays listed
for the province's staff, never silently lost."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.flaky_tasks import always_fail, fail_once

pytestmark = pytest.mark.django_db

# The worker closes its database connection between tasks, as a long-running process
# should: these tests run outside a wrapping transaction (restored afterwards).
WORKER_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, interval=0.1, stdout=io.StringIO())


@WORKER_DB
@override_settings(TASKS=DATABASE_TASKS, TASK_RETRY_DELAY=0, TASK_RETRIES=3)
def test_a_failed_task_is_retried_until_it_succeeds(tmp_path):
    marker = str(tmp_path / "marker")
    fail_once.enqueue(marker)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker()
    results = DBTaskResult.objects.filter(task_path="tests.flaky_tasks.fail_once")
    assert sorted(results.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]


@WORKER_DB
@override_settings(TASKS=DATABASE_TASKS, TASK_RETRY_DELAY=0, TASK_RETRIES=2)
def test_a_task_that_keeps_failing_stops_and_is_shown(client, admin_user):
    always_fail.enqueue("清除前端缓存")
    run_worker()
    attempts = DBTaskResult.objects.filter(task_path="tests.flaky_tasks.always_fail")
    assert attempts.count() == 3  # the first run and two retries
    assert set(attempts.values_list("status", flat=True)) == {"FAILED"}

    client.force_login(admin_user)
    report = client.get("/admin/reports/tasks/").content.decode()
    assert "tests.flaky_tasks.always_fail" in report
    assert "清除前端缓存" in report and "ConnectionError" in report


def test_only_province_staff_see_the_task_report(client):
    from tests.support.editorial import make_user

    client.force_login(make_user("county-editor-tasks", "tonglu", "editor"))
    assert client.get("/admin/reports/tasks/").status_code == 302  # Wagtail's refusal
    client.force_login(make_user("province-editor-tasks", "zhejiang", "editor"))
    assert client.get("/admin/reports/tasks/").status_code == 200


SHOW_BACKEND = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'pioneer.settings'); "
    "django.setup(); from django.conf import settings; "
    "print(settings.TASKS['default']['BACKEND'])"
)


def test_settings_choose_the_backend():
    import os
    import subprocess
    import sys

    def run(backend):
        env = dict(os.environ, TASKS_BACKEND=backend)
        command = [sys.executable, "-c", SHOW_BACKEND]
        return subprocess.run(command, env=env, capture_output=True, text=True)

    assert run("database").stdout.strip() == "django_tasks_db.DatabaseBackend"
    refused = run("celery")
    assert refused.returncode != 0 and "TASKS_BACKEND" in refused.stderr
