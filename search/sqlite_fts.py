"""One-pass ranking on SQLite FTS5, for the database backend on SQLite.

Wagtail's SQLite backend scores each matching page with a correlated FTS query, which
grows with the square of the matches (5 s for a two-word query over 10,000 lessons).
Here the FTS table is matched and ranked once with ``bm25`` (title weighed above body),
and the visibility filters are applied to the ranked ids afterwards.
"""

from django.db import connection

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


def ranked_ids(words, operator="and", autocomplete=False, limit=LIMIT):
    """Object ids (as strings) of index entries matching ``words``, best first."""
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
    sql = (
        "SELECT e.object_id, bm25(wagtailsearch_indexentry_fts, " + weights + ") AS score "
        "FROM wagtailsearch_indexentry_fts f "
        "JOIN wagtailsearch_indexentry e ON e.id = f.rowid "
        "WHERE wagtailsearch_indexentry_fts MATCH %s ORDER BY score LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit])
        return [row[0] for row in cursor.fetchall()]


def search(queryset, words, operator="and", autocomplete=False, limit=LIMIT):
    """Pages of ``queryset`` matching ``words``, best first, and how many there are."""
    ids = ranked_ids(words, operator, autocomplete, limit)
    if not ids:
        return [], 0
    order = {int(object_id): rank for rank, object_id in enumerate(ids) if object_id.isdigit()}
    pages = list(queryset.filter(pk__in=list(order)))
    pages.sort(key=lambda page: order[page.pk])
    return pages, len(pages)
