"""Failed background tasks are tried again, then kept in sight.

django-tasks records a failed task and stops. Search index updates and front-cache
purges usually fail because a service was briefly down, so a failure here is queued
again after ``TASK_RETRY_DELAY`` seconds (doubling each time) up to ``TASK_RETRIES``
times; every attempt stays in the database, and 报告 → 后台任务 lists the failures.
"""

import datetime

from django.conf import settings
from django.utils import timezone


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


def register_signal_handlers():
    try:
        from django.tasks.signals import task_finished
    except ImportError:
        from django_tasks.signals import task_finished

    task_finished.connect(retry_failed_task, dispatch_uid="pioneer_retry_failed_task")
