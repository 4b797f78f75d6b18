"""Running an admin import: validation for the preview, then the import itself as a task.

The task updates the job's progress after each batch; the status page reloads itself
(no JavaScript) until the job is done. With Django's immediate task backend the work
happens within the confirming request; with a worker it happens in the background.
"""

from django.utils import timezone
from django_tasks import task

from pioneer.content_io import Importer, ImportFileError, decode, parse


def _records(job):
    with job.file.open("rb") as handle:
        text, encoding = decode(handle.read())
    return parse(text, job.file.name), encoding


def validate_job(job):
    try:
        records, job.encoding = _records(job)
    except ImportFileError as error:
        job.errors = [{"line": 0, "errors": [str(error)]}]
        job.save()
        return job
    importer = Importer(draft=job.draft)
    bad = importer.validate(records)
    job.total = len(records)
    job.errors = [{"line": r.line, "errors": r.errors} for r in bad]
    job.plan = importer.plan(records)
    job.save()
    return job


@task()
def run_import_job(job_id):
    from pioneer.models import ImportJob

    job = ImportJob.objects.get(pk=job_id)
    if not job.can_run:
        return
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        records, _encoding = _records(job)
        importer = Importer(draft=job.draft, user=job.created_by)
        importer.validate(records)

        def progress(done, total):
            ImportJob.objects.filter(pk=job.pk).update(processed=done)

        job.result = importer.run(records, progress)
        job.status = ImportJob.Status.DONE
    except Exception as error:  # the job page must say what happened, not hang
        job.status = ImportJob.Status.FAILED
        job.result = {"error": f"{type(error).__name__}: {error}"[:500]}
    job.processed = job.total if job.status == ImportJob.Status.DONE else job.processed
    job.finished_at = timezone.now()
    job.save()
