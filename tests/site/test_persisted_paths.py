"""Dotted paths stored outside the code keep resolving to the same objects (issue 19).

Queued tasks are rows naming their function (``DBTaskResult.task_path``, the function's
``__module__`` and ``__qualname__``), and the worker imports that path; migration 0004
names ``pioneer.models.import_storage``. Moving a module must leave every one of them
importable under the same name.
"""

import pytest
from django.utils.module_loading import import_string
from django_tasks.base import Task

TASK_PATHS = [
    "pioneer.frontend_cache.purge_noted_variants",
    "pioneer.frontend_cache.purge_noted_answers",
    "pioneer.import_jobs.run_import_job",
    "lessons.tasks.refresh_offline_packs",
    "tests.flaky_tasks.fail_once",
    "tests.flaky_tasks.always_fail",
]


@pytest.mark.parametrize("path", TASK_PATHS)
def test_a_queued_task_path_names_the_task(path):
    task = import_string(path)
    assert isinstance(task, Task)
    assert task.module_path == path


def test_the_migrations_storage_callable_resolves():
    from pioneer.models import ImportJob, import_storage

    assert import_string("pioneer.models.import_storage") is import_storage
    # The field still names the callable, so makemigrations writes the same path.
    assert ImportJob._meta.get_field("file").deconstruct()[3]["storage"] is import_storage
