"""Offline packs kept up to date by the background worker.

A pack is built the first time a learner asks for it. After that, publishing a change
(to the lesson, or to a lesson of a series) would make the next learner wait for a new
build inside their request; instead the worker builds the new pack as soon as the change
is published and deletes the one it replaces. Packs nobody has asked for are not built:
a pack holds copies of the lesson's media, and storage is not free.
"""

from django.apps import apps
from django.db import transaction
from django_tasks import task

from lessons import offline

PACK_MODELS = ("lessons.LessonPage", "lessons.LessonSeriesPage")


@task()
def refresh_offline_packs(model_label, page_id):
    model = apps.get_model(model_label)
    name = model.__name__.lower()
    page = model.objects.filter(pk=page_id).first()
    if page is None or not page.live or page.get_view_restrictions().exists():
        offline.remove_packs(name, page_id)  # no longer public: its packs go too
        return
    stored = offline.stored_packs(name, page_id)
    if not stored:
        return
    key, build = page.offline_pack_spec()
    offline.ensure_pack(key, build)
    offline.remove_packs(name, page_id, keep=key)


def pages_to_refresh(page):
    """The page and every series that packs it (a series pack holds its lessons)."""
    from lessons.models import LessonPage, SeriesMember

    targets = [(page._meta.label, page.pk)]
    if isinstance(page, LessonPage):
        series = SeriesMember.objects.filter(lesson_id=page.pk).values_list("series_id", flat=True)
        targets += [("lessons.LessonSeriesPage", pk) for pk in sorted(set(series))]
    return targets


def _enqueue(targets):
    for label, pk in targets:
        refresh_offline_packs.enqueue(label, pk)


def queue_refresh(sender, instance, **kwargs):
    """For ``page_published`` and ``page_unpublished``."""
    if instance._meta.label in PACK_MODELS:
        targets = pages_to_refresh(instance)
        if _first_publication(instance):
            # Nobody can have asked for its pack yet: only the series that hold it may
            # have one (an import of thousands of lessons queued a task for each).
            targets = targets[1:]
        _enqueue(targets)


def _first_publication(page):
    """Published now for the first time: Wagtail (and the importer) set both dates to
    the same moment then, and only then."""
    first = page.first_published_at
    return page.live and first is not None and first == page.last_published_at


def queue_removal(sender, instance, **kwargs):
    """For a page's deletion: its series are known now, the refresh runs once it is gone."""
    if instance._meta.label in PACK_MODELS:
        targets = pages_to_refresh(instance)
        transaction.on_commit(lambda: _enqueue(targets))


def register_signal_handlers():
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, page_unpublished

    page_published.connect(queue_refresh, dispatch_uid="lessons_offline_published")
    page_unpublished.connect(queue_refresh, dispatch_uid="lessons_offline_unpublished")
    pre_delete.connect(queue_removal, dispatch_uid="lessons_offline_deleted")
