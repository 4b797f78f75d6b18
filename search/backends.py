"""Engine backends that remember what they failed to index, and Chinese index settings.

Wagtail logs and swallows an engine error while a page is saved (so publishing keeps
working); these backends also record the change in ``PendingIndexUpdate`` so that
``replay_pending`` can bring the engine up to date once it answers again.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.module_loading import import_string

from pioneer import compat

logger = logging.getLogger(__name__)


class RecordFailuresMixin:
    def record_pending(self, obj, action, error):
        from search.models import PendingIndexUpdate
        from search.service import engine_missed_something

        engine_missed_something()
        try:
            with transaction.atomic():
                PendingIndexUpdate.objects.update_or_create(
                    backend=self.backend_name,
                    content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                    object_id=str(obj.pk),
                    defaults={"action": action, "last_error": str(error)[:1000]},
                )
        except Exception:  # the database is down too: nothing more we can do here
            logger.exception("could not record a pending index update for %r", obj)

    @property
    def backend_name(self):
        for name, params in settings.WAGTAILSEARCH_BACKENDS.items():
            if params["BACKEND"].endswith(type(self).__name__):
                return name
        return "default"

    def index_now(self, obj):
        """Send to the engine without recording a failure (used when replaying)."""
        return super().add(obj)

    def unindex_now(self, obj):
        return super().delete(obj)

    def add(self, obj):
        try:
            done = self.index_now(obj)
        except Exception as error:
            self.record_pending(obj, "add", error)
            raise
        _answers_changed()
        return done

    def delete(self, obj):
        try:
            done = self.unindex_now(obj)
        except Exception as error:
            self.record_pending(obj, "delete", error)
            raise
        _answers_changed()
        return done


def _answers_changed():
    """Search answers follow the engine's index, which catches up after a publish (and
    its purge): purge the cached answers again once the engine has the change."""
    from pioneer.caching.front_cache import purge_answers_soon

    purge_answers_soon()


# Each engine's backend with failure recording; built on first use, so that only the
# client library of the engine in use needs to be installed.
_ENGINES = {
    "OpenSearch2Backend": "modelsearch.backends.opensearch2.OpenSearch2SearchBackend",
    "OpenSearch3Backend": "modelsearch.backends.opensearch3.OpenSearch3SearchBackend",
    "Elasticsearch7Backend": "modelsearch.backends.elasticsearch7.Elasticsearch7SearchBackend",
    "Elasticsearch8Backend": "modelsearch.backends.elasticsearch8.Elasticsearch8SearchBackend",
    "Elasticsearch9Backend": "modelsearch.backends.elasticsearch9.Elasticsearch9SearchBackend",
}


def __getattr__(name):
    if name not in _ENGINES:
        raise AttributeError(name)
    engine = import_string(_ENGINES[name])
    results = type(
        f"{name}Results",
        (compat.TotalHitsSearchMixin, engine.results_class),
        {"__module__": __name__},
    )
    # The search's filters are conditions on the kinds' own fields (see
    # pioneer.core.filters.page_condition): the engine applies them itself.
    compilers = {
        attribute: type(
            f"{name}{getattr(engine, attribute).__name__}",
            (compat.ChildFieldFiltersMixin, getattr(engine, attribute)),
            {"__module__": __name__},
        )
        for attribute in ("query_compiler_class", "autocomplete_query_compiler_class")
    }
    backend = type(name, (RecordFailuresMixin, engine), {"results_class": results, **compilers})
    backend.__module__ = __name__
    globals()[name] = backend
    return backend


def replay_pending(limit=500):
    """Apply recorded changes to their engines; returns (done, still pending)."""
    from wagtail.search.backends import get_search_backend

    from search.models import PendingIndexUpdate

    done = 0
    for update in PendingIndexUpdate.objects.select_related("content_type")[:limit]:
        model = update.content_type.model_class()
        backend = get_search_backend(update.backend)
        try:
            instance = model._default_manager.filter(pk=update.object_id).first()
            indexed = instance.get_indexed_instance() if instance is not None else None
            if update.action == "add" and indexed is not None:
                backend.index_now(indexed)
            else:
                backend.unindex_now(indexed or instance or model(pk=update.object_id))
        except Exception as error:
            update.attempts += 1
            update.last_error = str(error)[:1000]
            update.save(update_fields=["attempts", "last_error"])
            logger.warning("replaying index update %s failed: %s", update.pk, error)
            break  # the engine is still down; try again later
        update.delete()
        done += 1
    return done, PendingIndexUpdate.objects.count()
