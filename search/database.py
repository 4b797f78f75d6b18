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

from django.db import connection
from modelsearch.backends.database import SearchBackend as wagtail_database_backend

from pioneer import compat


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
            (compat.WeighNewRowsMixin, PostgresIndex),
            {"__module__": __name__},
        )
        _classes["backend"] = type(
            "PostgresSearchBackend",
            (PostgresSearchBackend,),
            {"index_class": index, "__module__": __name__},
        )
    return _classes["backend"]
