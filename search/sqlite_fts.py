"""One-pass ranking on SQLite FTS5, for the database backend on SQLite.

Wagtail's SQLite backend scores each matching page with a correlated FTS query, which
grows with the square of the matches (5 s for a two-word query over 10,000 lessons).
Here the FTS table is matched and ranked once with ``bm25`` (title weighed above body).

The index holds entries of every indexed model (documents, images, snippets as well as
pages), each named by its content type and an ``object_id`` that other models reuse: an
entry counts only when its content type is one of the queryset's model and its object is
in the queryset, both decided in the same SQL statement before ``LIMIT``, so that neither
another model's entry (a private document's title) nor a page the public may not see can
stand for, or push out, a visible page.
"""

from django.db import connection
from django.db.models import F
from modelsearch.utils import get_descendants_content_types_pks

TITLE_WEIGHT = 4.0
LIMIT = 1000


def usable(backend_params):
    return (
        connection.vendor == "sqlite"
        and backend_params["BACKEND"] == "wagtail.search.backends.database"
    )


def _match(words, operator, columns):
    joiner = " AND " if operator == "and" else " OR "
    quoted = joiner.join('"' + word.replace('"', '""') + '"' for word in words)
    return f"{{{columns}}} : ({quoted})"


def ranked_ids(queryset, words, operator="and", autocomplete=False, limit=None):
    """Primary keys of the objects of ``queryset`` whose index entries match ``words``,
    best first, at most ``limit`` (default ``LIMIT``)."""
    if not words:
        return []
    if autocomplete:
        joiner = " AND " if operator == "and" else " OR "
        match = (
            "{autocomplete} : ("
            + joiner.join('"' + w.replace('"', '""') + '"*' for w in words)
            + ")"
        )
        weights = "1.0, 0.0, 0.0"
    else:
        match = _match(words, operator, "title body")
        weights = f"0.0, 1.0, {TITLE_WEIGHT}"  # columns: autocomplete, body, title
    content_types = list(get_descendants_content_types_pks(queryset.model))
    if not content_types:
        return []
    visible = queryset.order_by().values(visible_pk=F("pk"))
    visible_sql, visible_params = visible.query.sql_with_params()
    sql = (
        "SELECT e.object_id, bm25(wagtailsearch_indexentry_fts, " + weights + ") AS score "
        "FROM wagtailsearch_indexentry_fts f "
        "JOIN wagtailsearch_indexentry e ON e.id = f.rowid "
        "WHERE wagtailsearch_indexentry_fts MATCH %s "
        "AND e.content_type_id IN (" + ", ".join(["%s"] * len(content_types)) + ") "
        "AND e.object_id IN (SELECT CAST(v.visible_pk AS TEXT) FROM (" + visible_sql + ") v) "
        "ORDER BY score LIMIT %s"
    )
    params = [match, *content_types, *visible_params, limit or LIMIT]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def search(queryset, words, operator="and", autocomplete=False, limit=None):
    """Pages of ``queryset`` matching ``words``, best first, and how many there are."""
    ids = ranked_ids(queryset, words, operator, autocomplete, limit)
    if not ids:
        return [], 0
    order = {int(object_id): rank for rank, object_id in enumerate(ids) if object_id.isdigit()}
    pages = list(queryset.filter(pk__in=list(order)))
    pages.sort(key=lambda page: order[page.pk])
    return pages, len(pages)
