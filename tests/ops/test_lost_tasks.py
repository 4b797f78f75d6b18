"""A task whose worker was lost (killed, its server gone) does not stay RUNNING for good:
``manage.py recover_stale_tasks`` fails it once it has run longer than TASK_STALE_AFTER,
and the retry policy (pioneer.ops.task_retry) queues it again."""

import datetime
import io
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pioneer.ops.task_retry import recover_stale_tasks
from tests.flaky_tasks import always_fail, fail_once

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LOST = override_settings(
    TASKS=DATABASE_TASKS, TASK_RETRY_DELAY=0, TASK_RETRIES=2, TASK_STALE_AFTER=600
)


def claimed(task, *args, minutes_ago):
    """``task`` queued, then taken by a worker ``minutes_ago`` that never finished it."""
    result = task.enqueue(*args)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-on-a-lost-server")
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )
    return row


@LOST
def test_a_task_running_past_the_bound_fails_and_is_queued_again(tmp_path, caplog):
    marker = tmp_path / "marker"
    marker.write_text("tried")  # fail_once succeeds from now on
    lost = claimed(fail_once, str(marker), minutes_ago=11)
    caplog.set_level(logging.WARNING, logger="pioneer.ops.task_retry")

    out = io.StringIO()
    call_command("recover_stale_tasks", stdout=out)

    lost.refresh_from_db()
    assert lost.status == "FAILED"
    assert lost.exception_class_path == "pioneer.ops.task_retry.TaskLost"
    assert "worker-on-a-lost-server" in lost.traceback
    assert "1 lost task(s) marked failed" in out.getvalue()
    assert f"Task {lost.id} (tests.flaky_tasks.fail_once)" in caplog.text
    again = DBTaskResult.objects.filter(task_path="tests.flaky_tasks.fail_once", status="READY")
    assert again.count() == 1
    assert again.get().args_kwargs == lost.args_kwargs


@LOST
def test_a_task_running_within_the_bound_is_left_alone():
    running = claimed(fail_once, "/nonexistent", minutes_ago=9)
    assert recover_stale_tasks() == 0
    running.refresh_from_db()
    assert running.status == "RUNNING"
    assert not DBTaskResult.objects.filter(status="READY").exists()


@LOST
def test_a_lost_task_counts_as_a_failure_towards_the_retries():
    for attempt in range(3):  # TASK_RETRIES=2: the first run and two retries
        claimed(always_fail, "清除前端缓存", minutes_ago=30 + attempt)
        assert recover_stale_tasks() == 1
    # Each recovery queued the next attempt, except the last one's
    rows = DBTaskResult.objects.filter(task_path="tests.flaky_tasks.always_fail")
    assert sorted(rows.values_list("status", flat=True)) == ["FAILED"] * 3 + ["READY"] * 2
    assert recover_stale_tasks() == 0  # failed rows are not recovered twice


def test_deploy_runs_the_recovery_every_five_minutes():
    deploy = Path(__file__).resolve().parents[2] / "deploy"
    service = (deploy / "systemd" / "pioneer-recover-tasks.service").read_text()
    timer = (deploy / "systemd" / "pioneer-recover-tasks.timer").read_text()
    assert "manage.py recover_stale_tasks" in service
    assert "OnCalendar=*:0/5" in timer and "Unit=pioneer-recover-tasks.service" in timer
    cron = (deploy / "cron" / "pioneer").read_text()
    assert any(
        line.startswith("*/5 * * * * ") and "recover_stale_tasks" in line
        for line in cron.splitlines()
    )
    compose = (deploy / "docker" / "docker-compose.yml").read_text()
    assert "manage.py recover_stale_tasks" in compose
