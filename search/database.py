"""Wagtail's database search backend, with PostgreSQL's title weights kept up to date at the
cost of the pages just indexed rather than of the whole index.

Wagtail's PostgreSQL index recomputes every title's weight (``title_norm``: the average
title length over this title's length) after each batch it indexes: an average over the
whole index table and an update of every row still at the default weight, both full
scans with no index to help (modelsearch/backends/database/postgres/postgres.py:323-352,
called from ``add_items`` :445). A publish or an import batch on a site of 100,000 pages
and their English aliases paid two scans of 200,000 rows. Here the average is read at
most once every ``AVERAGE_SECONDS`` in a process (it moves slowly: one page among
thousands barely changes it), and only the rows just written get their weight, found
through the table's unique (content type, object id) index. ``update_index`` still
recomputes every row (the rebuilder's ``full=True``). Other databases are Wagtail's
backends as they are.
"""

import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.db.models.functions import Length
from modelsearch.backends.database import SearchBackend as wagtail_database_backend

AVERAGE_SECONDS = 600


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    if connection.vendor != "postgresql":
        return wagtail_database_backend(params)
    return _postgres_backend()(params)


_classes = {}


def _postgres_backend():
    """Built on first use: the PostgreSQL modules import psycopg's text search types."""
    if "backend" not in _classes:
        from modelsearch.backends.database.postgres.postgres import (
            PostgresIndex,
            PostgresSearchBackend,
        )

        index = type(
            "PostgresIndexWeighingNewRows",
            (WeighNewRowsMixin, PostgresIndex),
            {"__module__": __name__},
        )
        _classes["backend"] = type(
            "PostgresSearchBackend",
            (PostgresSearchBackend,),
            {"index_class": index, "__module__": __name__},
        )
    return _classes["backend"]


class WeighNewRowsMixin:
    _average = (None, 0.0)  # (average title length, when it was read)
    _just_added = None

    def add_items(self, model, items):
        self._just_added = (model, items)
        try:
            return super().add_items(model, items)
        finally:
            self._just_added = None

    def _refresh_title_norms(self, full=False):
        model, items = self._just_added or (None, None)
        if full or not items:
            WeighNewRowsMixin._average = (None, 0.0)
            return super()._refresh_title_norms(full=full)
        average = self._average_title_length()
        if not average:
            return None
        # The rows as add_items wrote them: under ``model``'s content type.
        written = ContentType.objects.get_for_model(model).pk
        (
            self.entries.filter(content_type_id=written, object_id__in=[str(i.pk) for i in items])
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .update(title_norm=average / F("title_length"))
        )
        return None

    def _average_title_length(self):
        from django.db.models import Avg

        average, read_at = WeighNewRowsMixin._average
        if average is None or time.monotonic() - read_at > AVERAGE_SECONDS:
            average = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            WeighNewRowsMixin._average = (average, time.monotonic())
        return average
