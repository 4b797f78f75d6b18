"""The task queue stores each task by its dotted path (``func.__module__`` and
``__qualname__``) and finds it again with ``import_string`` when a worker runs the row:
a task whose code moves keeps the path rows were written with (plan of issue 19, §3.4)."""

import importlib
import pkgutil

from django.utils.module_loading import import_string
from django_tasks.base import Task

# The paths rows in the queue hold today; a new task adds its own.
PERSISTED = {
    "pioneer.frontend_cache.purge_noted_variants",
    "pioneer.frontend_cache.purge_noted_answers",
    "pioneer.import_jobs.run_import_job",
    "lessons.tasks.refresh_offline_packs",
}
SKIPPED = (".migrations", ".settings", ".wsgi", ".asgi", ".management")


def _tasks():
    """Every task defined in the project's packages, found by importing their modules."""
    found = {}
    for root in ("pioneer", "home", "lessons", "news", "search"):
        package = importlib.import_module(root)
        for info in pkgutil.walk_packages(package.__path__, root + "."):
            if any(part in info.name for part in SKIPPED):
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, Task):
                    found[value.module_path] = value
    return found


def test_every_task_keeps_the_path_its_queued_rows_name():
    tasks = _tasks()
    assert set(tasks) == PERSISTED
    for path, task in tasks.items():
        assert import_string(path) is task


def test_the_purge_tasks_moved_into_caching_keep_their_old_path():
    from pioneer.caching import front_cache

    assert front_cache.purge_noted_variants.module_path == (
        "pioneer.frontend_cache.purge_noted_variants"
    )
    assert front_cache.purge_noted_answers.module_path == (
        "pioneer.frontend_cache.purge_noted_answers"
    )
    assert import_string("pioneer.frontend_cache.purge_noted_answers") is (
        front_cache.purge_noted_answers
    )
