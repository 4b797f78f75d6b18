"""A task for tests/ops/test_background_tasks.py: it fails on its first run for a given
marker file (as a purge fails while nginx restarts) and succeeds after."""

from pathlib import Path

from django_tasks import task


@task()
def fail_once(marker):
    path = Path(marker)
    if not path.exists():
        path.write_text("tried")
        raise ConnectionError("service briefly unavailable")
    return "done"


@task()
def always_fail(label):
    raise ConnectionError(f"{label}: service down")
