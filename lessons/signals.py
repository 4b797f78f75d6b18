"""A series is searched by its lessons' titles and summaries (``LessonSeriesPage.
lessons_text``): a lesson published, changed or withdrawn re-indexes the series holding it,
so the series is found by what its lessons teach now, not when the series was last saved."""

from django.db import transaction
from wagtail.search import index


def reindex_series(sender, instance, **kwargs):
    """For ``page_published`` and ``page_unpublished`` of a lesson."""
    from lessons.models import LessonPage, LessonSeriesPage

    if not isinstance(instance, LessonPage):
        return
    series_ids = list(instance.series_memberships.values_list("series_id", flat=True))
    if not series_ids:
        return

    def update():
        for series in LessonSeriesPage.objects.filter(pk__in=series_ids):
            index.insert_or_update_object(series)

    transaction.on_commit(update)


def register_signal_handlers():
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(reindex_series, dispatch_uid="lessons_series_index_published")
    page_unpublished.connect(reindex_series, dispatch_uid="lessons_series_index_unpublished")
