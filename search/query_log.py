"""The log of what learners search for (``SearchQueryDay``): counters per cleaned query,
language and day, and nothing about who searched.

Each write is one UPSERT that adds to the day's counters. A write that fails (database
read-only or locked) is logged and forgotten: a counter must never cost a learner an answer.
"""

import datetime
import logging
import re
import time

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pioneer.core.text.segmentation import normalise
from search.models import SearchQueryDay

logger = logging.getLogger(__name__)

# One salt per use, so a signature made for one can never pass for the other. The image's
# token carries its time, rounded to SEEN_BUCKET so that the same search rendered again
# soon after (a reload in the data saver or elder mode, which nginx does not cache) names
# the same image, which the browser already holds: it counts once. It is good for a day
# (longer than nginx keeps the page that holds it), not for ever.
_SEEN = signing.Signer(salt="search.query_log.seen")
_OPENS = signing.Signer(salt="search.query_log.open")
SEEN_BUCKET = 600  # seconds
SEEN_MAX_AGE = datetime.timedelta(days=1)


# What a learner may type that says who they are, or whom they look for, stored as MASK:
# an e-mail address; the account after QQ, 微信 (WeChat) and their short forms; and any
# number of 7 digits or more, also written in groups joined by spaces, dashes or dots
# (mobiles, landlines, identity-card numbers with their final X, bank cards), and QQ
# numbers of 5 or more. Dates (2025-03-12, 2025.3.12, 20250312) and standard numbers (GB/T
# 19001-2016) stay, as do document numbers (〔2025〕12号), years and prices.
_EMAIL = r"[^\s@]+@[^\s@]+"
_ACCOUNT = r"(?:qq|微信号?|vx|wx|v信|weixin|wechat)\s*(?:号|号码)?\s*[:：]?\s*[a-z0-9_\-]{5,}"
_GROUPED = r"(?<![\d.\-])\d+(?:[ .\-]\d+)*x?(?![\d])"
_DATE = re.compile(
    r"(?:19|20)\d{2}(?:[.\-](?:0?[1-9]|1[0-2])(?:[.\-](?:0?[1-9]|[12]\d|3[01]))?"
    r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
)
_STANDARD = re.compile(r"\d{1,6}-(?:19|20)\d{2}")
_PERSONAL = re.compile(f"{_EMAIL}|{_ACCOUNT}|{_GROUPED}")
MASK = "*"


def _mask(match):
    text = match.group(0)
    if "@" in text or not text[:1].isdigit():
        return MASK
    if _DATE.fullmatch(text) or _STANDARD.fullmatch(text):
        return text
    digits = sum(char.isdigit() for char in text)
    return MASK if digits >= 7 else text


def mask_personal(text):
    """``text`` with what says who someone is (numbers, accounts, e-mail) as MASK."""
    return _PERSONAL.sub(_mask, text)


def only_masks(query):
    """Whether nothing of ``query`` is left but masks (a bare phone number searched)."""
    return not re.sub(r"[\s*\W]", "", query.replace(MASK, ""))


def log_key(query):
    """The form a query is counted under: cleaned (as the search read it), then
    half-width, Simplified and lower-case, so 水稻、水稻 and 水稻 (full-width) share a row;
    phone, card and e-mail numbers masked, so the log holds no one's number."""
    from search.service import clean_query

    key = mask_personal(normalise(clean_query(query))).strip()
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


def _bucket(now=None):
    return int((now if now is not None else time.time()) // SEEN_BUCKET)


def seen_token(query, count, language):
    """The signed note a search page carries of what it answered (its query, result count
    and language), read back by ``views.search_seen`` when the learner's browser shows the
    page, whether nginx served it from its cache or the site rendered it."""
    note = {"q": query, "n": count, "l": language, "b": _bucket()}
    return _SEEN.sign_object(note, compress=True)


def read_seen_token(token, language):
    """``(query, count)`` from a ``seen_token`` made for ``language`` within the last day,
    or None when it is not one (forged, old, another language's)."""
    try:
        data = _SEEN.unsign_object(token or "")
        query, count, made_for, bucket = data["q"], data["n"], data["l"], data["b"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    age = _bucket() - bucket if isinstance(bucket, int) else -1
    if made_for != language or not 0 <= age <= SEEN_MAX_AGE.total_seconds() // SEEN_BUCKET:
        return None
    if not isinstance(query, str) or not isinstance(count, int) or count < 0:
        return None
    return query, count


def open_signature(query, page_id, language):
    """A short signature of the query, page and language a result's ping counts an open
    for, so that a ping made up elsewhere cannot add opens."""
    return _OPENS.signature(f"{language}|{page_id}|{query}")[:16]


def open_signature_ok(query, page_id, language, signature):
    from django.utils.crypto import constant_time_compare

    return constant_time_compare(open_signature(query, page_id, language), signature or "")
