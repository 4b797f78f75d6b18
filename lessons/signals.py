"""A series is searched by its lessons' titles and summaries (``LessonSeriesPage.
lessons_text``), so it is re-indexed whenever that text may change: a lesson of it published,
withdrawn or deleted, and the series itself published (its lesson list is saved after the
page, so the index entry made while saving the page still has the old list). Once per
series and transaction, after the commit: an import publishing a hundred lessons of one
series re-indexes it once."""

import threading

from django.db import transaction
from wagtail.search import index

_pending = threading.local()


def _reindex_on_commit(series_ids):
    # One callback a call, but the first to run takes every id waiting in this thread and
    # the others find none; ids left by a rolled-back transaction go with the next commit.
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.update(series_ids)
    transaction.on_commit(_reindex_waiting)


def _reindex_waiting():
    from lessons.models import LessonSeriesPage

    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    if ids:
        for series in LessonSeriesPage.objects.filter(pk__in=ids):
            index.insert_or_update_object(series)


def _series_of(page):
    from lessons.models import LessonPage, LessonSeriesPage

    if isinstance(page, LessonSeriesPage):
        return [page.pk]
    if isinstance(page, LessonPage):
        return list(page.series_memberships.values_list("series_id", flat=True))
    return []


def reindex_series(sender, instance, **kwargs):
    """For ``page_published``, ``page_unpublished`` and a lesson's ``pre_delete`` (its
    memberships are still there to read)."""
    series_ids = _series_of(instance)
    if series_ids:
        _reindex_on_commit(series_ids)


def register_signal_handlers():
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(reindex_series, dispatch_uid="lessons_series_index_published")
    page_unpublished.connect(reindex_series, dispatch_uid="lessons_series_index_unpublished")
    pre_delete.connect(reindex_series, dispatch_uid="lessons_series_index_deleted")
