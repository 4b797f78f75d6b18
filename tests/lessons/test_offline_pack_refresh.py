"""Offline packs are rebuilt by the background worker when a change is published, so the
next learner downloads at once; packs of pages that are no longer public are deleted,
and pack names in the media storage cannot be guessed."""

import io
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lessons import offline
from lessons.models import LessonPage
from tests.support.editorial import lesson_form
from tests.support.factories import make_lesson, make_series

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REFRESH_TASK = "lessons.tasks.refresh_offline_packs"


@pytest.fixture(autouse=True)
def no_stored_packs():
    """Media files outlive the rolled-back database: start without anyone's packs."""

    def clear():
        try:
            folders, _files = default_storage.listdir(offline.PACK_DIR)
        except FileNotFoundError:
            return
        for folder in folders:
            for name in default_storage.listdir(f"{offline.PACK_DIR}/{folder}")[1]:
                default_storage.delete(f"{offline.PACK_DIR}/{folder}/{name}")

    clear()
    yield
    clear()


def fresh(page):
    return type(page).objects.get(pk=page.pk)


def download(client, page):
    response = client.get(page.url + "offline/")
    assert response.status_code == 200, response.status_code
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def packs_of(page):
    return offline.stored_packs(type(page).__name__.lower(), page.pk)


def a_series():
    lessons = [make_lesson(f"离线专题第{n}课") for n in ("一", "二", "三")]
    series = make_series("离线专题", lessons)
    return series, [member.lesson for member in series.members.all()]


def publish_in_admin(client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.post(url, lesson_form(page, action="action-publish", **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_published_change_rebuilds_a_downloaded_pack_and_drops_the_old_one(client):
    lesson = make_lesson("离线包更新课")
    download(client, lesson)
    first = lesson.offline_pack_key
    assert packs_of(lesson) == [first]

    lesson.summary = "更新后的离线摘要"
    lesson.save_revision().publish()  # the immediate task backend runs the refresh now
    lesson = fresh(lesson)
    assert lesson.offline_pack_key != first
    assert packs_of(lesson) == [lesson.offline_pack_key]
    size = default_storage.size(lesson.offline_pack_key)
    assert lesson.offline_pack_size() == size  # the real size, shown before download
    assert "更新后的离线摘要" in download(client, lesson).read("index.html").decode()


def test_a_pack_nobody_asked_for_is_not_built():
    lesson = make_lesson("无人下载的课")
    lesson.summary = "再次发布"
    lesson.save_revision().publish()
    assert packs_of(lesson) == []


@override_settings(TASKS=DATABASE_TASKS)
def test_a_first_publication_queues_no_refresh_of_its_own():
    """No pack of a page published for the first time can exist: an import of thousands
    of new lessons queues no task for each (nor, on S3, a listing of the store)."""
    lesson = make_lesson("第一次发布的课")
    queued = DBTaskResult.objects.filter(task_path=REFRESH_TASK)
    assert not queued.filter(args_kwargs__args=["lessons.LessonPage", lesson.pk]).exists()
    lesson.summary = "再次发布"
    lesson.save_revision().publish()
    assert queued.filter(args_kwargs__args=["lessons.LessonPage", lesson.pk]).count() == 1


def test_republishing_a_lesson_rebuilds_its_series_pack(client):
    series, lessons = a_series()
    download(client, series)
    old = packs_of(series)
    assert len(old) == 1
    member = lessons[0]
    member.title = "改名后的专题第一课"
    member.save_revision().publish()
    current = fresh(series).offline_pack_spec()[0]
    assert current != old[0] and packs_of(series) == [current]
    index = download(client, series).read("index.html").decode()
    assert "改名后的专题第一课" in index


def test_unpublishing_deletes_the_pages_packs(client):
    lesson = make_lesson("即将下线的离线课")
    download(client, lesson)
    assert packs_of(lesson)
    lesson.unpublish()
    assert packs_of(lesson) == []
    assert client.get(f"/zh-hans/lessons/shiyong-jishu/{lesson.slug}/offline/").status_code == 404


def test_deleting_a_lesson_deletes_its_packs_and_rebuilds_its_series(
    client, django_capture_on_commit_callbacks
):
    series, lessons = a_series()
    gone = lessons[-1]
    download(client, gone)
    download(client, series)
    with django_capture_on_commit_callbacks(execute=True):
        LessonPage.objects.get(pk=gone.pk).delete()
    assert offline.stored_packs("lessonpage", gone.pk) == []
    assert len(packs_of(series)) == 1
    assert gone.title not in download(client, series).read("index.html").decode()


def test_pack_names_are_signed_with_the_secret_key():
    lesson = make_lesson("签名离线包")
    key = lesson.offline_pack_key
    # A page that reuses a deleted page's id and revision ids (SQLite does) gets its own.
    reused = fresh(lesson)
    reused.last_published_at = reused.last_published_at.replace(year=2020)
    assert reused.offline_pack_key != key
    # The file name is the digest alone, no id spelled in it (a digest may contain the
    # id's digits by chance: 193 in …03193f3…, so the shape is what is checked).
    assert re.fullmatch(r"[0-9a-f]{16,64}\.zip", key.rsplit("/", 1)[1])
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-0123456789"):
        assert fresh(lesson).offline_pack_key != key


# The worker closes its connection between tasks: outside a wrapping transaction, on the
# session's content put back for this test (``site_structure``).
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_rebuilds_the_pack_after_an_admin_publish(site_structure, client, admin_user):
    lesson = make_lesson("后台重建离线包的课")
    download(client, lesson)
    first = lesson.offline_pack_key

    client.force_login(admin_user)
    earlier = set(DBTaskResult.objects.values_list("pk", flat=True))
    publish_in_admin(client, lesson, summary="编辑在后台改过的摘要")
    queued = DBTaskResult.objects.filter(task_path=REFRESH_TASK).exclude(pk__in=earlier)
    assert [(task.status, task.args_kwargs["args"]) for task in queued] == [
        ("READY", ["lessons.LessonPage", lesson.pk])
    ]
    assert packs_of(lesson) == [first]  # the publish request did not build it

    call_command("db_worker", batch=True, interval=0.1, stdout=io.StringIO())
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    lesson = fresh(lesson)
    assert packs_of(lesson) == [lesson.offline_pack_key] != [first]
    client.logout()
    assert "编辑在后台改过的摘要" in download(client, lesson).read("index.html").decode()
