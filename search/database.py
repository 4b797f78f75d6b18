"""Wagtail's database search backend, with the title weights kept up to date at the cost of
the pages just indexed rather than of the whole index.

Wagtail's PostgreSQL and SQLite indexes recompute every title's weight (``title_norm``:
the average title length over this title's length) after each batch they index: an
average over the whole index table and an update of every row still at the default
weight, both full scans with no index to help (modelsearch/backends/database/postgres/
postgres.py:323-352, called from ``add_items`` :445; sqlite/sqlite.py:166-195, from
``add_items`` :263). A publish or an import batch on a site of 100,000 pages and their
English aliases paid two scans of 200,000 rows; on SQLite that was a sixth of an import's
time at 100,000 lessons, up from a twentieth at 10,000 (py-spy, 2026-12-05). Here the
average is read at most once every ``AVERAGE_SECONDS`` in a process (it moves slowly: one
page among thousands barely changes it), and only the rows just written get their weight,
found through the table's unique (content type, object id) index. ``update_index`` still
recomputes every row (the rebuilder's ``full=True``). The fallback backend (a SQLite
without FTS5, other databases) is Wagtail's as it is.
"""

from modelsearch.backends.database import SearchBackend as wagtail_database_backend

from pioneer import compat


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    backend = wagtail_database_backend(params)
    weighing = _weighing(type(backend))
    return weighing(params) if weighing is not None else backend


_classes = {}


def _weighing(backend_class):
    """``backend_class`` with an index that weighs the rows it just wrote, or None for a
    backend whose index keeps no title weights. Built on first use: the PostgreSQL
    modules import psycopg's text search types."""
    if backend_class not in _classes:
        index = getattr(backend_class, "index_class", None)
        weighing = None
        if index is not None and hasattr(index, "_refresh_title_norms"):
            weighing_index = type(
                f"{index.__name__}WeighingNewRows",
                (compat.WeighNewRowsMixin, index),
                {"__module__": __name__},
            )
            weighing = type(
                backend_class.__name__,
                (backend_class,),
                {"index_class": weighing_index, "__module__": __name__},
            )
        _classes[backend_class] = weighing
    return _classes[backend_class]
