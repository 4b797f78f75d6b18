"""One-pass ranking on SQLite FTS5, for the database backend on SQLite.

Wagtail's SQLite backend scores each matching page with a correlated FTS query, which
grows with the square of the matches (5 s for a two-word query over 10,000 lessons).
Here the FTS table is matched and ranked once with ``bm25`` (title weighed above body).

The index holds entries of every indexed model (documents, images, snippets as well as
pages), each named by its content type and an ``object_id`` that other models reuse: the
ranking keeps only entries of the queryset's model (its content types, in the same SQL
statement), and the limit counts pages of the queryset, which decides what the public may
see: ranked entries are read in batches until ``limit`` of them are visible, so neither
another model's entry (a private document's title) nor a hidden page can stand for, or
push out, a visible page. (Joining the visible pages into the ranking statement instead
made a search over 10,000 lessons two to three times slower.)
"""

from django.db import connection
from modelsearch.utils import get_descendants_content_types_pks

from pioneer import compat

TITLE_WEIGHT = 4.0
LIMIT = 1000


# Wagtail's database backend, as named directly or through search.database.
DATABASE_BACKENDS = ("wagtail.search.backends.database", "search.database")


def usable(backend_params):
    return connection.vendor == "sqlite" and backend_params["BACKEND"] in DATABASE_BACKENDS


def _quoted(word, prefix=False):
    return '"' + word.replace('"', '""') + '"' + ("*" if prefix else "")


def _clause(clause):
    """One clause of the query (``search.synonyms``): a choice of words, each choice's
    words all present: ("a" OR ("b" AND "c"))."""
    choices = []
    for choice in clause:
        inner = " AND ".join(_quoted(word) for word in choice)
        choices.append(inner if len(choice) == 1 else f"({inner})")
    return choices[0] if len(choices) == 1 else "(" + " OR ".join(choices) + ")"


def _match(clauses, operator, columns):
    joiner = " AND " if operator == "and" else " OR "
    return f"{{{columns}}} : ({joiner.join(_clause(clause) for clause in clauses)})"


def ranked_ids(model, clauses, operator="and", autocomplete=False, limit=None, offset=0):
    """Primary keys (as strings) of the ``model`` objects whose index entries match
    ``clauses`` (``search.service.plain`` for plain words), best first: at most ``limit``
    (default ``LIMIT``) from ``offset`` on."""
    clauses = [clause for clause in clauses if clause and all(clause)]
    if not clauses:
        return []
    if autocomplete:
        joiner = " AND " if operator == "and" else " OR "
        words = [clause[0][0] for clause in clauses]
        match = "{autocomplete} : (" + joiner.join(_quoted(w, prefix=True) for w in words) + ")"
        weights = "1.0, 0.0, 0.0"
    else:
        match = _match(clauses, operator, "title body")
        weights = f"0.0, 1.0, {TITLE_WEIGHT}"  # columns: autocomplete, body, title
    content_types = list(get_descendants_content_types_pks(model))
    if not content_types:
        return []
    fts, entries = compat.SQLITE_FTS_TABLE, compat.SQLITE_INDEX_ENTRY_TABLE
    sql = (
        f"SELECT e.object_id, bm25({fts}, {weights}) AS score "
        f"FROM {fts} f "
        f"JOIN {entries} e ON e.id = f.rowid "
        f"WHERE {fts} MATCH %s "
        "AND e.content_type_id IN (" + ", ".join(["%s"] * len(content_types)) + ") "
        "ORDER BY score LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *content_types, limit or LIMIT, offset])
        return [row[0] for row in cursor.fetchall()]


def search(queryset, clauses, operator="and", autocomplete=False, limit=None):
    """Pages of ``queryset`` matching ``clauses``, best first, at most ``limit``, and how
    many that is."""
    limit = limit or LIMIT
    pages, offset = [], 0
    while len(pages) < limit:
        ids = ranked_ids(queryset.model, clauses, operator, autocomplete, limit, offset)
        order = {
            int(object_id): offset + rank
            for rank, object_id in enumerate(ids)
            if object_id.isdigit()
        }
        found = list(queryset.filter(pk__in=list(order))) if order else []
        found.sort(key=lambda page: order[page.pk])
        pages += found
        if len(ids) < limit:
            break
        offset += limit
    pages = pages[:limit]
    return pages, len(pages)
