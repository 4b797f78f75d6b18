"""Files uploaded for an admin import (issue 20, finding 3): kept where no URL reaches
them, and deleted once the import has run, at once when there is nothing to confirm, and
after the retention period for a preview nobody confirms. (nginx's refusal of
/media/imports/ itself: ``tests/caching/test_front_cache.py``.)"""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from lessons.models import LessonPage
from pioneer.models import ImportJob

LESSON = {
    "id": "U-1",
    "type": "lesson",
    "title": "上传文件测试课",
    "summary": "摘要。",
    "body": "正文。",
    "date": "2026-05-01",
    "category": "实用技术培训",
}


def upload(client, records, name="upload.jsonl", **options):
    content = "\n".join(
        json.dumps(r, ensure_ascii=False) if isinstance(r, dict) else r for r in records
    )
    data = {"file": SimpleUploadedFile(name, content.encode())}
    data.update({key: "on" for key, value in options.items() if value})
    response = client.post("/admin/import/", data)
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def stored(job):
    return job.file.storage.exists(job.file.name)


def test_an_upload_is_kept_outside_the_public_media_and_has_no_url(client, admin_user):
    client.force_login(admin_user)
    job = upload(client, [LESSON])
    assert stored(job)
    path = Path(job.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in path.parents
    assert not (Path(settings.MEDIA_ROOT) / job.file.name).exists()
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 - no address is ever made for it
    # The job's page names the file but links to nothing.
    page = client.get(f"/admin/import/{job.pk}/").content.decode()
    assert Path(job.file.name).name in page and "/media/imports/" not in page


def test_the_upload_is_deleted_once_the_import_has_run(client, admin_user):
    client.force_login(admin_user)
    job = upload(client, [LESSON])
    assert stored(job)
    client.post(f"/admin/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert LessonPage.objects.filter(source_id="U-1").exists()
    assert not stored(job)
    assert Path(job.file.name).name in client.get(f"/admin/import/{job.pk}/").content.decode()


def test_an_upload_with_errors_and_nothing_to_confirm_is_deleted_at_once(client, admin_user):
    client.force_login(admin_user)
    job = upload(client, [LESSON, "{broken"])
    assert not job.can_run and not stored(job)
    skipping = upload(client, [LESSON, "{broken"], skip_invalid=True)
    assert skipping.can_run and stored(skipping)  # may still be confirmed


def test_a_preview_nobody_confirms_is_deleted_after_the_retention_period(client, admin_user):
    client.force_login(admin_user)
    old, fresh = upload(client, [LESSON]), upload(client, [{**LESSON, "id": "U-2"}])
    hours = settings.IMPORT_UPLOAD_RETENTION_HOURS
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours, minutes=1)
    )
    # A file no job names (its request failed), older than the retention period.
    orphan = old.file.storage.save("imports/orphan.jsonl", SimpleUploadedFile("o", b"{}"))
    past = (timezone.now() - datetime.timedelta(hours=hours + 1)).timestamp()
    import os

    os.utime(old.file.storage.path(orphan), (past, past))

    call_command("clean_import_uploads")
    assert not stored(old) and not old.file.storage.exists(orphan)
    assert stored(fresh)  # within the period: still to be confirmed
    old.refresh_from_db()
    assert not old.can_run
    page = client.get(f"/admin/import/{old.pk}/").content.decode()
    assert "超过保留期限" in page and "确认导入" not in page
    client.post(f"/admin/import/{old.pk}/confirm/")
    old.refresh_from_db()
    assert old.status == ImportJob.Status.VALIDATED
    assert not LessonPage.objects.filter(source_id="U-1").exists()


def test_on_object_storage_uploads_go_to_the_private_bucket_without_any_url():
    import os
    import subprocess
    import sys

    from tests.support.storage import ROOT, S3_ENV

    probe = (
        "import django, json; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['imports']\n"
        "try:\n    s.url('imports/a.csv'); url = True\nexcept ValueError:\n    url = False\n"
        "print(json.dumps([s.bucket_name, s.location, s.default_acl, s.custom_domain, url]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_", "MEDIA_S"))}
    env.update(S3_ENV, DJANGO_SETTINGS_MODULE="pioneer.settings", AWS_LOCATION="site")
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == ["media", "site/private", None, None, False]


def test_the_upload_is_read_a_piece_at_a_time_never_whole(client, admin_user, monkeypatch):
    """Preview and import read the stored upload in pieces (as the command reads its
    file): memory stays flat however large the file. A GB18030 CSV with its lines
    split across pieces imports as a whole file would."""
    from django.core.files.storage import FileSystemStorage

    from pioneer.content_io import records

    monkeypatch.setattr(records, "CHUNK", 7)  # most lines cross a piece's end
    sizes = []
    real_open = FileSystemStorage._open

    class Watched:
        def __init__(self, file):
            self.file = file

        def read(self, size=-1):
            sizes.append(size)
            return self.file.read(size)

        def __getattr__(self, name):
            return getattr(self.file, name)

    def watched_open(self, name, mode="rb"):
        handle = real_open(self, name, mode)
        handle.file = Watched(handle.file)
        return handle

    monkeypatch.setattr(FileSystemStorage, "_open", watched_open)
    client.force_login(admin_user)
    rows = "id,type,title,summary,body,date,category\n" + "".join(
        f"U-C{n},lesson,分段读取测试课{n},摘要。,正文。,2026-05-0{n},实用技术培训\r\n"
        for n in range(1, 4)
    )
    data = {"file": SimpleUploadedFile("stream.csv", rows.encode("gb18030"))}
    assert client.post("/admin/import/", data).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.encoding == "gb18030" and job.total == 3 and not job.errors
    client.post(f"/admin/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    titles = set(
        LessonPage.objects.filter(source_id__startswith="U-C").values_list("title", flat=True)
    )
    assert titles == {f"分段读取测试课{n}" for n in range(1, 4)}
    assert sizes and all(size == 7 for size in sizes)


# The worker closes a connection left in a transaction, as the test's own would be: this
# test runs outside a wrapping transaction (the database restored afterwards).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    TASK_RETRY_DELAY=0,
    TASK_STALE_AFTER=600,
)
def test_an_import_whose_worker_was_lost_runs_again_and_finishes(client, admin_user):
    """A server lost mid-import left its job "running" and its task RUNNING: the task's
    recovery queues it again, and the retry runs the import to the end (the records its
    predecessor imported are found unchanged)."""
    import io

    from django_tasks_db.models import DBTaskResult

    from pioneer.content_io.jobs import run_import_job
    from pioneer.ops.task_retry import recover_stale_tasks

    client.force_login(admin_user)
    job = upload(client, [LESSON, {**LESSON, "id": "U-2", "title": "第二节上传测试课"}])
    row = DBTaskResult.objects.get(pk=run_import_job.enqueue(job.pk).id)
    row.claim("worker-on-a-lost-server")  # it started the import, then its server went
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    assert recover_stale_tasks() == 1
    call_command("db_worker", batch=True, interval=0.1, stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.processed == 2
    originals = LessonPage.objects.filter(source_id__in=["U-1", "U-2"], alias_of=None)
    assert originals.count() == 2
    assert not stored(job)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_second_task_of_a_job_still_running_leaves_it_alone(client, admin_user):
    """A confirmation sent twice queues two tasks: while the first runs the import, the
    second finds the job running and its task alive, and does nothing."""
    from django_tasks_db.models import DBTaskResult

    from pioneer.content_io import jobs

    client.force_login(admin_user)
    job = upload(client, [LESSON])
    from pioneer.core.locks import single_run

    for worker in ("worker-1", "worker-2"):
        DBTaskResult.objects.get(pk=jobs.run_import_job.enqueue(job.pk).id).claim(worker)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    with single_run(f"import-job:{job.pk}"):  # the first task, importing (on PostgreSQL)
        jobs.run_import_job.call(job.pk)  # the second
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.result in (None, {})
    assert not LessonPage.objects.filter(source_id="U-1").exists()
