"""Running an admin import: validation for the preview, then the import itself as a task.

The task updates the job's progress after each batch; the status page reloads itself
(no JavaScript) until the job is done. With Django's immediate task backend the work
happens within the confirming request; with a worker it happens in the background.

The uploaded file lives in the private ``imports`` storage (no URL reaches it) and only as
long as the job may still run: it is deleted once the import has run, at once when the
file's errors leave nothing to confirm, and by ``clean_import_uploads`` (each new upload
and ``manage.py clean_import_uploads``, hourly in deploy/) when a preview is left
unconfirmed past ``IMPORT_UPLOAD_RETENTION_HOURS``.
"""

import datetime
import logging
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pioneer.content_io.importer import Importer
from pioneer.content_io.records import (
    ImportFileError,
    iter_records,
    stream_encoding,
    text_lines,
)
from pioneer.core.locks import single_run


def _open(job):
    return job.file.storage.open(job.file.name, "rb")


@contextmanager
def _records(job, encoding):
    """The upload's records, read from storage a piece at a time (as the command reads
    its file): an upload of 100,000 lessons is never held whole in memory."""
    with _open(job) as handle:
        yield iter_records(text_lines(handle, encoding), job.file.name)


def validate_job(job):
    try:
        job.encoding = stream_encoding(lambda: _open(job))
        importer = Importer(draft=job.draft)
        with _records(job, job.encoding) as records:
            bad = importer.validate(records)
    except ImportFileError as error:
        job.errors = [{"line": 0, "errors": [str(error)]}]
        job.save()
        discard_upload(job)
        return job
    job.total = importer.checked
    job.errors = [{"line": r.line, "errors": r.errors} for r in bad]
    with _records(job, job.encoding) as records:  # read again: what the import would do
        job.plan = importer.plan(importer.valid(records))
    job.save()
    if not job.can_run:  # nothing to confirm: the file is read no more
        discard_upload(job)
    return job


# The task queue stores a task as ``func.__module__ + "." + func.__qualname__`` and finds it
# again with ``import_string``: this one was defined in ``pioneer.import_jobs``, which
# re-exports it, so rows queued under that name (before the move and after) still run.
TASK_MODULE = "pioneer.import_jobs"


def _persisted(func):
    func.__module__ = TASK_MODULE
    return func


@task()
@_persisted
def run_import_job(job_id):
    from pioneer.models import ImportJob

    # Held for the whole import: a retry finds it free only when the worker that ran the
    # job is gone (its connection, and so the lock, went with it).
    with single_run(f"import-job:{job_id}") as held:
        if held:
            _run(ImportJob.objects.get(pk=job_id))


def _run(job):
    from pioneer.models import ImportJob

    if not (job.can_run or _lost(job)):
        return
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        encoding = job.encoding or stream_encoding(lambda: _open(job))
        importer = Importer(draft=job.draft, user=job.created_by)
        with _records(job, encoding) as records:
            bad = importer.validate(records)

        def progress(done, total):
            ImportJob.objects.filter(pk=job.pk).update(processed=done)

        with _records(job, encoding) as records:
            job.result = importer.run(records, progress, importer.checked - len(bad))
        job.status = ImportJob.Status.DONE
    except Exception as error:  # the job page must say what happened, not hang
        job.status = ImportJob.Status.FAILED
        job.result = {"error": f"{type(error).__name__}: {error}"[:500]}
    job.processed = job.total if job.status == ImportJob.Status.DONE else job.processed
    job.finished_at = timezone.now()
    job.save()
    discard_upload(job)  # run (or failed): a job never runs twice


def _lost(job):
    """The job was running when its worker or server was lost: ``recover_stale_tasks``
    failed the task and the retry policy queued it again, which runs the import once more
    (records already imported are found unchanged). Told from a second task of a job
    still running (a confirmation sent twice) by the lock on PostgreSQL, and by the
    task queue's rows elsewhere (one server)."""
    from django.db import connection

    if job.status != job.Status.RUNNING:
        return False
    if connection.vendor == "postgresql":
        return True  # run_import_job holds the job's lock: its last holder is gone
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the immediate backend runs in the request
        return False
    running = DBTaskResult.objects.running().filter(
        task_path=f"{TASK_MODULE}.run_import_job", args_kwargs__args=[job.pk]
    )
    return running.count() <= 1  # this task only


logger = logging.getLogger("pioneer.import_jobs")  # the name it logged under before the move
UPLOADS = "imports"  # the folder ImportJob.file uploads to, in the private storage


def discard_upload(job):
    """Delete the job's uploaded file (its name stays, for the job's page)."""
    if job.file.name:
        try:
            job.file.storage.delete(job.file.name)
        except OSError as error:  # the storage away: the hourly clean-up deletes it later
            logger.warning("Could not delete import upload %s: %s", job.file.name, error)


def clean_import_uploads(now=None):
    """Delete every import upload no job may still read: those of jobs that ran or cannot
    run, of previews left past the retention period, and files no job names (a job
    deleted, an upload whose request failed) once they are that old. Returns how many."""
    from pioneer.models import ImportJob

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.IMPORT_UPLOAD_RETENTION_HOURS)
    storage = ImportJob._meta.get_field("file").storage
    keep = set()  # running, or a preview that may still be confirmed (ImportJob.can_run)
    for job in ImportJob.objects.filter(
        status__in=[ImportJob.Status.VALIDATED, ImportJob.Status.RUNNING]
    ):
        runnable = (not job.errors or job.skip_invalid) and job.created_at >= cutoff
        if job.status == ImportJob.Status.RUNNING or runnable:
            keep.add(job.file.name)
    try:
        _folders, files = storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    removed = 0
    for filename in files:
        name = f"{UPLOADS}/{filename}"
        if name in keep:
            continue
        named = ImportJob.objects.filter(file=name).exists()
        if not named and storage.get_modified_time(name) >= cutoff:
            continue  # an upload being saved right now, before its job row
        storage.delete(name)
        removed += 1
    return removed
