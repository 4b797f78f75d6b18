"""The log of what learners search for (``SearchQueryDay``): counters per cleaned query,
language and day, and nothing about who searched.

Each write is one UPSERT that adds to the day's counters. A write that fails (database
read-only or locked) is logged and forgotten: a counter must never cost a learner an answer.
"""

import datetime
import logging
import re

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pioneer.core.text.segmentation import normalise
from search.models import SearchQueryDay

logger = logging.getLogger(__name__)

# One salt per use, so a signature made for one can never pass for the other. The image's
# token carries its time: it is good for a day (longer than nginx keeps the page that holds
# it), not for ever.
_SEEN = signing.TimestampSigner(salt="search.query_log.seen")
_OPENS = signing.Signer(salt="search.query_log.open")
SEEN_MAX_AGE = datetime.timedelta(days=1)


# What a learner may type that says who they are, or whom they look for: an e-mail
# address; a mobile number, also written in groups (138 1234 5678, 138-1234-5678); any run
# of 7 digits or more (landlines, identity-card numbers with their final X, bank cards).
# Document numbers (〔2025〕12号) and years stay. Each is stored as MASK.
_PERSONAL = re.compile(
    r"[^\s@]+@[^\s@]+"
    r"|(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)"
    r"|\d{7,}x?",
)
MASK = "*"


def log_key(query):
    """The form a query is counted under: cleaned (as the search read it), then
    half-width, Simplified and lower-case, so 水稻、水稻 and 水稻 (full-width) share a row;
    phone, card and e-mail numbers masked, so the log holds no one's number."""
    from search.service import clean_query

    key = _PERSONAL.sub(MASK, normalise(clean_query(query))).strip()
    # Normalising can lengthen a text (ligatures, full-width forms): cut to the column.
    return key[: SearchQueryDay._meta.get_field("query").max_length]


def _add(query, language, searches=0, empty=0, last_count=None, opens=0):
    """Add to today's counters for ``query``: one statement (INSERT … ON CONFLICT DO
    UPDATE, SQLite ≥ 3.24 and PostgreSQL). Returns whether the write was made."""
    query = log_key(query)
    if not query:
        return False
    table = connection.ops.quote_name(SearchQueryDay._meta.db_table)
    sql = (
        f"INSERT INTO {table} (query, language, day, searches, empty, last_count, opens) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (query, language, day) DO UPDATE SET "
        f"searches = {table}.searches + excluded.searches, "
        f"empty = {table}.empty + excluded.empty, "
        f"last_count = COALESCE(excluded.last_count, {table}.last_count), "
        f"opens = {table}.opens + excluded.opens"
    )
    params = [query, language, timezone.localdate(), searches, empty, last_count, opens]
    try:
        # A savepoint of its own: a failed write must not spoil the request's transaction.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        logger.warning("search log not written (%s): %s", type(error).__name__, error)
        return False
    return True


def record_search(query, language, count):
    """One search and the number of results it found."""
    return _add(query, language, searches=1, empty=int(count == 0), last_count=count)


def record_open(query, language):
    """A result opened from the search page of ``query``."""
    return _add(query, language, opens=1)


def purge(days=None, today=None):
    """Delete the rows older than ``days`` (``SEARCH_LOG_DAYS``); returns how many."""
    days = settings.SEARCH_LOG_DAYS if days is None else days
    today = today or timezone.localdate()
    oldest = today - datetime.timedelta(days=days - 1)
    deleted, _by_model = SearchQueryDay.objects.filter(day__lt=oldest).delete()
    return deleted


def seen_token(query, count):
    """The signed note a search page carries of what it answered (its query and result
    count), read back by ``views.search_seen`` when the learner's browser shows the page,
    whether nginx served it from its cache or the site rendered it."""
    return _SEEN.sign_object({"q": query, "n": count}, compress=True)


def read_seen_token(token):
    """``(query, count)`` from ``seen_token``, or None when it is not one the site signed."""
    try:
        data = _SEEN.unsign_object(token or "", max_age=SEEN_MAX_AGE)
        query, count = data["q"], data["n"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not isinstance(query, str) or not isinstance(count, int) or count < 0:
        return None
    return query, count


def open_signature(query, page_id):
    """A short signature of the query a result link counts an open for, so that a link
    made up elsewhere cannot add opens to a query."""
    return _OPENS.signature(f"{page_id}|{query}")[:16]


def open_signature_ok(query, page_id, signature):
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(open_signature(query, page_id), signature or "")
