"""Failed background tasks are tried again, then kept in sight.

django-tasks records a failed task and stops. Search index updates and front-cache
purges usually fail because a service was briefly down, so a failure here is queued
again after ``TASK_RETRY_DELAY`` seconds (doubling each time) up to ``TASK_RETRIES``
times; every attempt stays in the database, and 报告 → 后台任务 lists the failures.

A worker that dies mid-task (killed, its server lost) leaves the task RUNNING for good:
nothing in django-tasks takes it back. ``recover_stale_tasks`` (``manage.py
recover_stale_tasks``, every few minutes) fails those running longer than
``TASK_STALE_AFTER`` and hands them to the same retry.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class TaskLost(Exception):
    """The task's worker stopped (or its server was lost) before the task finished."""


def attempts_so_far(task_result):
    """How many times this task has run with these arguments and failed (this one too)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task_result.task.module_path,
        args_kwargs={"args": list(task_result.args), "kwargs": task_result.kwargs},
        status="FAILED",
        enqueued_at__gte=timezone.now() - datetime.timedelta(days=1),
    ).count()


def retry_failed_task(sender, task_result, **kwargs):
    if task_result.status != "FAILED" or not task_result.task.get_backend().supports_defer:
        return
    failures = attempts_so_far(task_result)
    if failures > settings.TASK_RETRIES:
        return
    delay = settings.TASK_RETRY_DELAY * 2 ** (failures - 1)
    task = task_result.task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    task.enqueue(*task_result.args, **task_result.kwargs)


def _task_finished():
    try:
        from django.tasks.signals import task_finished
    except ImportError:
        from django_tasks.signals import task_finished
    return task_finished


def recover_stale_tasks(now=None):
    """Fail the tasks RUNNING for longer than ``TASK_STALE_AFTER`` seconds, as their worker
    would have had it finished, so that the retry above queues them again. Returns how many.

    Rows are taken with ``skip_locked``: two servers recovering at once fail each task once.
    """
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    bound = datetime.timedelta(seconds=settings.TASK_STALE_AFTER)
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.running()
            .filter(started_at__lt=now - bound)
            .select_for_update(skip_locked=True)
        )
        for row in stale:
            running = now - row.started_at
            row.set_failed(
                TaskLost(
                    f"running for {running.total_seconds():.0f} s, longer than "
                    f"TASK_STALE_AFTER ({settings.TASK_STALE_AFTER} s), on worker "
                    f"{(row.worker_ids or ['?'])[-1]}: stopped or lost"
                )
            )
    for row in stale:
        logger.warning(
            "Task %s (%s) had been running since %s, longer than TASK_STALE_AFTER: "
            "its worker was lost; marked failed, retried as a failure is",
            row.id,
            row.task_path,
            row.started_at.isoformat(),
        )
        try:
            task = row.task
            task_result = row.task_result
        except Exception as error:  # a task the code no longer has: nothing to retry
            logger.warning("Task %s cannot be retried: %s", row.id, error)
            continue
        _task_finished().send(sender=type(task.get_backend()), task_result=task_result)
    return len(stale)


def register_signal_handlers():
    _task_finished().connect(retry_failed_task, dispatch_uid="pioneer_retry_failed_task")
