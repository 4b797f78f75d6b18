"""What the engine missed while it was down is looked for by the searches it answers
(search.service._catch_up), but not by every one of them: at most every CATCH_UP_EVERY
seconds, and at once after the engine failed in this process."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.models import LessonPage
from search import service
from search.models import PendingIndexUpdate
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_looked_at_yet():
    service.engine_missed_something()
    yield
    service.engine_missed_something()


def _looks():
    with CaptureQueriesContext(connection) as queries:
        service._catch_up()
    return sum("search_pendingindexupdate" in q["sql"] for q in queries)


def test_a_search_looks_for_missed_updates_once_in_a_while():
    assert _looks() == 1
    assert _looks() == 0  # within CATCH_UP_EVERY: no query


def test_after_a_failure_the_next_search_looks_again():
    assert _looks() == 1
    service.engine_missed_something()
    assert _looks() == 1


def test_missed_updates_are_looked_for_until_none_is_left(monkeypatch):
    replayed = []
    monkeypatch.setattr("search.backends.replay_pending", lambda limit: replayed.append(limit))
    PendingIndexUpdate.objects.create(
        backend="default",
        content_type=ContentType.objects.get_for_model(LessonPage),
        object_id="1",
        action="add",
    )
    assert _looks() >= 1 and _looks() >= 1  # still pending: every search replays some
    assert replayed == [50, 50]
    PendingIndexUpdate.objects.all().delete()
    assert _looks() == 1 and _looks() == 0


def test_an_index_write_the_engine_refused_is_looked_for_at_the_next_search(monkeypatch):
    from search.backends import RecordFailuresMixin

    replayed = []
    monkeypatch.setattr("search.backends.replay_pending", lambda limit: replayed.append(limit))
    assert _looks() == 1
    lesson = make_lesson("引擎拒收的课程")
    RecordFailuresMixin().record_pending(lesson, "add", RuntimeError("engine away"))
    assert PendingIndexUpdate.objects.exists()
    assert _looks() == 1 and replayed == [50]
