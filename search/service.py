"""One search for the search page and the JSON API: words, filters, ranking, snippets.

The backend (database or engine) finds candidates for the segmented words; this module
then puts promoted pages, phrase matches and title matches first, drops what the public
may not see, and falls back to the database backend when the engine does not answer.
"""

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page
from wagtail.search.backends.base import FilterError, FilterFieldError
from wagtail.search.query import And, Or, PlainText

from pioneer.caching.generation import LocalLRU, generation, memo
from pioneer.core import content_types, filters
from pioneer.core.filters import Filters, page_condition
from pioneer.core.pagination import kept_count
from pioneer.core.public import hidden_from_search, public_pages
from pioneer.core.text import docnumbers
from pioneer.core.text.segmentation import (
    looks_like_pinyin_initials,
    normalise,
    query_words,
    sub_words,
)
from search import sqlite_fts, synonyms

logger = logging.getLogger(__name__)

# What a backend raises for a condition it cannot apply (a field it does not index).
UNFILTERABLE = (FilterError, FilterFieldError)
MAX_QUERY_LENGTH = 200
CANDIDATES = 100  # re-ranked here (engines answer up to 100 in one request, no scroll)
# What ranking and hiding read of a candidate (the pages shown are loaded whole).
CANDIDATE_FIELDS = ("id", "title", "content_type", "expire_at", "alias_of")
FILL_UP_TO = 30  # fewer pages than this have every word: add pages with some of them
WIDEN_BELOW = 10  # fewer results than a page: fill it with the shorter words in the words
MAX_WIDENING = 12  # shorter words searched for, at most
NUMBERED_SHOWN = 20  # documents listed by number on the search page; the library has all
NUMBERED_RANKED = 200  # documents a number names, put ahead of the text matches
# How the page and /api/search/ read their filters (strict: the page retries without).
READING = filters.Reading(
    frozenset({"type", "function", "region", "year"}),
    # ``function`` as in /api/v2/pages/ (the documented name); ``category`` still works.
    names={"function": ("category", "function")},
)


class _Types(Mapping):
    """The ``type`` filter's choices, {kind key: (label, the models found under it)}, read
    from the content-type registry when used (its kinds register in the apps' ready())."""

    def __getitem__(self, key):
        kind = content_types.get(key)
        return kind.label, kind.searched_models()

    def __iter__(self):
        return iter(filters.type_keys())

    def __len__(self):
        return len(content_types.kinds())


TYPES = _Types()


class BadParameter(ValueError):
    """A filter value the search does not know; the API answers 400, the page ignores it."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name


@dataclass
class Hit:
    page: Page
    snippet: str
    type: str
    promoted: bool = False
    widened: bool = False  # found by the widened query only, not by the learner's words

    @property
    def date(self):
        return getattr(self.page, "date", None) or getattr(self.page, "issue_date", None)


@dataclass
class Outcome:
    query: str
    words: list
    hits: list = field(default_factory=list)
    count: int = 0
    page: int = 1
    num_pages: int = 0
    backend: str = "database"
    degraded: bool = False  # the engine did not answer; the database did
    relaxed: bool = False  # no page had every word: pages with any word are shown
    suggestions: list = field(default_factory=list)
    numbered: list = field(default_factory=list)  # documents a number names (the first ones)
    numbered_count: int = 0  # all the documents it names
    numbered_prefix: str = ""  # the issuer code (and year) the query was, in canonical form
    numbered_library: object = None  # the index page that lists them all (for a prefix)
    numbered_library_query: str = ""  # its query string: the prefix and the search's year
    normalised: str = ""
    clauses: list = field(default_factory=list)  # the words, each with its synonyms
    synonyms: list = field(default_factory=list)  # the synonyms also searched for, as typed
    widened: list = field(default_factory=list)  # the shorter words searched for as well
    widened_count: int = 0  # results only those words found (ranked after the others)

    @property
    def direct_count(self):
        """Results for the learner's own words (and their synonyms): what the search log
        counts, so a query only widening answers stays on the editors' report."""
        return self.count - self.widened_count


def clean_query(raw):
    """Printable text, single spaces, at most MAX_QUERY_LENGTH characters."""
    text = "".join(ch for ch in (raw or "")[: MAX_QUERY_LENGTH * 4] if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def parse_filters(params, locale):
    """Filters from request parameters; unknown values raise ``BadParameter``."""
    try:
        found, _bad = filters.read(params, locale, READING, strict=True)
    except filters.BadFilter as error:
        raise BadParameter(error.name, _MESSAGES[error.filter](error.name)) from error
    return found


_MESSAGES = {
    "type": lambda name: f"type must be one of {', '.join(filters.type_keys())}",
    "function": lambda name: f"{name} must be one of {', '.join(filters.function_values())}",
    "region": lambda name: "unknown region",
    "year": lambda name: "year must be a four-digit year",
}


def _models(found):
    if found.type:
        return TYPES[found.type][1]
    if found.function:
        return content_types.models([k for k in content_types.kinds() if k.function_field])
    return content_types.models(searched=True)


def type_of(page):
    kind = content_types.for_model(page, searched=True)
    return kind.key if kind is not None else "page"


def search_backends():
    """The configured backend names, engine first; the database is always last."""
    names = list(settings.WAGTAILSEARCH_BACKENDS)
    return sorted(names, key=lambda name: name == "database")


def _backend_label(name):
    backend = settings.WAGTAILSEARCH_BACKENDS[name]["BACKEND"].lower()
    for engine in ("opensearch", "elasticsearch"):
        if engine in backend:
            return engine
    return "database"


def _for_backend(queryset, name):
    """What the backend searches: on a database backend, the whole public rule as a
    condition of its own query, so that pages past their expiry and aliases (which
    engines cannot filter on, see ``hidden_from_search``) are gone before any limit.
    Wagtail's database backend accepts conditions on the model's own indexed filter
    fields only (``id`` is one): every condition of ``queryset`` (the filters' joins to
    the kinds' tables, an API's field filters) goes into one subquery on ``id``, run by
    the database. ``sqlite_fts`` reads the queryset itself."""
    if _backend_label(name) != "database":
        return queryset
    if sqlite_fts.usable(settings.WAGTAILSEARCH_BACKENDS[name]):
        return public_pages(queryset, locale=False)
    return _in_one_subquery(queryset)


def _in_one_subquery(queryset):
    kept = public_pages(queryset.order_by(), locale=False).values("pk")
    return queryset.model._default_manager.filter(pk__in=kept).only(*CANDIDATE_FIELDS)


def plain(words):
    """Clauses of ``words`` with no synonyms: each word must match as it is."""
    return [((word,),) for word in words]


def _backend_query(clauses, operator):
    """What a Wagtail backend searches for: the plain words as text when no synonym
    widened them (the backend's own query, as before), else And/Or of the choices."""
    if not synonyms.widened(clauses):
        return " ".join(clause[0][0] for clause in clauses), operator
    parts = []
    for clause in clauses:
        choices = [PlainText(" ".join(words), operator="and") for words in clause if words]
        parts.append(choices[0] if len(choices) == 1 else Or(choices))
    combined = parts[0] if len(parts) == 1 else (And if operator == "and" else Or)(parts)
    return combined, None


def find_candidates(queryset, clauses, operator, backend_names, autocomplete=False):
    """Candidates from the first backend that answers, and whether one before it failed
    (the search is degraded: an engine down)."""
    last_error, failed = None, False
    for name in backend_names:
        try:
            if sqlite_fts.usable(settings.WAGTAILSEARCH_BACKENDS[name]):
                candidates, total = sqlite_fts.search(
                    _for_backend(queryset, name), clauses, operator, autocomplete
                )
                return candidates[:CANDIDATES], total, name, failed
            searched = _for_backend(queryset, name)
            if autocomplete:
                text = " ".join(word for clause in clauses for word in clause[0])
                results = searched.autocomplete(text, backend=name)
            else:
                query, query_operator = _backend_query(clauses, operator)
                results = searched.search(query, operator=query_operator, backend=name)
            first = results[:CANDIDATES]
            candidates = list(first)
            total = len(candidates)
            if total == CANDIDATES:
                # Engines report the total with the hits (search/backends.py): no count request.
                total = getattr(first, "total_hits", None) or results.count()
            return candidates, total, name, failed
        except UNFILTERABLE as error:
            # A condition the engine keeps no field for (an API's tag or title filter):
            # the next backend, the database, runs it; the engine is not down.
            logger.info("search backend %s cannot filter so: %s", name, error)
            last_error = error
        except Exception as error:  # an engine down, a timeout, a syntax the backend refuses
            logger.warning("search backend %s failed: %s", name, error)
            last_error, failed = error, True
    raise last_error


# When this process last found nothing waiting for the engine. A search the engine answers
# looks again at most every CATCH_UP_EVERY seconds (each look is a query of every search),
# and at once after the engine failed in this process; ``sync_search_index`` on its timer
# catches up what a search does not.
CATCH_UP_EVERY = 30
_nothing_pending_at = None


def _catch_up():
    """The engine answers again: send it what it missed while it was down."""
    global _nothing_pending_at
    from search.backends import replay_pending
    from search.models import PendingIndexUpdate

    now = time.monotonic()
    if _nothing_pending_at is not None and now - _nothing_pending_at < CATCH_UP_EVERY:
        return
    if PendingIndexUpdate.objects.exists():
        replay_pending(limit=50)
    else:
        _nothing_pending_at = now


def engine_missed_something():
    """An engine failed a search or an index write here: look for what it missed at the
    next search it answers."""
    global _nothing_pending_at
    _nothing_pending_at = None


def _promoted(query, locale):
    from wagtail.contrib.search_promotions.models import Query
    from wagtail.search.utils import normalise_query_string

    # Read only: ``Query.get`` would store a row for every query anyone types. Editors add
    # a promotion for a query as typed or as the search log shows it (Simplified,
    # half-width: ``normalise``); a learner's typing of either form finds it.
    keys = {normalise_query_string(query), normalise_query_string(normalise(query))}
    try:
        promoted_query = Query.objects.filter(query_string__in=keys).order_by("pk").first()
    except Exception:  # a query string the database cannot compare
        return []
    if promoted_query is None:
        return []
    picks = promoted_query.editors_picks.select_related("page")
    visible = set(
        public_pages(Page, locale=locale)
        .filter(pk__in=[p.page_id for p in picks])
        .values_list("pk", flat=True)
    )
    return [pick.page.specific for pick in picks if pick.page_id in visible]


def _rank(pages, query, clauses, numbered=(), widened=frozenset()):
    """Documents a number names first, in their order; then title matches (the whole
    phrase, every word, most words: a word or one of its synonyms), then the backend's
    order; what only the widened query found comes after all of them."""
    phrase = normalise(query).replace(" ", "")
    numbered = {pk: position for position, pk in enumerate(numbered)}

    def in_title(clause, title):
        return any(all(word in title for word in choice) for choice in clause)

    def key(item):
        position, page = item
        if page.pk in numbered:
            return (False, numbered[page.pk])
        title = normalise(page.title)
        matched = [in_title(clause, title) for clause in clauses]
        return (
            True,
            page.pk in widened,
            not (phrase and phrase in title),
            not all(matched),
            -sum(matched),
            position,
        )

    return [page for _position, page in sorted(enumerate(pages), key=key)]


def _marks(words):
    return sorted({m for m in words if m and not m.isdigit()}, key=len, reverse=True)


def _body_text(page):
    body = getattr(page, "body", None)
    if body is None:
        return ""
    parts = []
    _raw_text(body.raw_data, parts)
    return " ".join(parts)


def _raw_text(value, parts):
    """The words of a body's stored blocks, read from its raw JSON: the chosen documents
    and images are ids there, not text, and loading them (a query per page and type of
    block, for ten results) is no reason to slow a search."""
    if isinstance(value, str):
        parts.append(strip_tags(value) if "<" in value else value)
    elif isinstance(value, dict):
        if "type" in value and "value" in value:
            _raw_text(value["value"], parts)
        else:
            for item in value.values():
                _raw_text(item, parts)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _raw_text(item, parts)


def snippet(page, words, width=60):
    """A piece of the page's text around the first match, matches in <mark>.

    The summary alone when it holds a match (reading a long body's blocks is most of
    a search's time); the summary and the body otherwise.
    """
    marks = _marks(words)
    pattern = re.compile("|".join(re.escape(mark) for mark in marks)) if marks else None
    text = " ".join((getattr(page, "summary", "") or "").split())
    folded = normalise(text)
    if pattern is None or not pattern.search(folded):
        text = " ".join(f"{text} {_body_text(page)}".split())
        folded = normalise(text)
    if len(folded) != len(text):
        text = folded
    first = pattern.search(folded) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    piece = text[start : start + width * 2]
    piece_folded = folded[start : start + width * 2]
    out, i = [], 0
    for match in pattern.finditer(piece_folded) if pattern else ():
        out.append(escape(piece[i : match.start()]))
        out.append(f"<mark>{escape(piece[match.start() : match.end()])}</mark>")
        i = match.end()
    out.append(escape(piece[i:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)


def search(query, locale, filters=None, page=1, page_size=10, numbered_apart=False):
    """One search. The documents a number (or an issuer's code) names lead the results;
    with ``numbered_apart`` (the search page, which lists them in a section of their own)
    the ones listed there are left out of the results instead."""
    query = clean_query(query)
    filters = filters or Filters()
    words = query_words(query)
    outcome = Outcome(query=query, words=words, page=page, normalised=normalise(query))
    if not words:
        return outcome

    # Candidates are plain Page rows (titles are all the ranking needs); only the pages
    # shown are loaded as their specific types.
    queryset = (
        Page.objects.live()
        .public()
        .filter(locale=locale)
        .type(*_models(filters))
        .only(*CANDIDATE_FIELDS)
    )
    condition = page_condition(filters, _models(filters))
    if condition is not None:
        queryset = queryset.filter(condition)
    numbered = _numbered(outcome.normalised, locale, queryset, filters, outcome)
    apart = {page.pk for page in outcome.numbered} if numbered_apart else set()
    numbered = [page for page in numbered if page.pk not in apart]
    names = search_backends()

    clauses = synonyms.clauses_for(words)
    outcome.clauses = clauses
    also = ("".join(choice) for clause in clauses for choice in clause[1:])
    outcome.synonyms = list(dict.fromkeys(word for word in also if word not in words))
    candidates, total, used, degraded = find_candidates(queryset, clauses, "and", names)
    any_word_searched = len(clauses) > 1 and len(candidates) < FILL_UP_TO
    if any_word_searched:
        # Pages with every word first, then pages with some of them.
        some, total_some, used, degraded = find_candidates(queryset, clauses, "or", names)
        outcome.relaxed = not candidates and bool(some)
        seen = {page.pk for page in candidates}
        candidates += [page for page in some if page.pk not in seen]
        total = max(total, total_some)
    if not candidates and looks_like_pinyin_initials(query):
        candidates, total, used, degraded = find_candidates(
            queryset, plain(words), "and", names, autocomplete=True
        )
        if candidates:
            # The learner meant that title: show it first, then pages on the same subject.
            title_words = sorted(query_words(candidates[0].title), key=len, reverse=True)
            related, _total, used, degraded = find_candidates(
                queryset, plain(title_words[:3]), "or", names
            )
            seen = {page.pk for page in candidates}
            candidates += [page for page in related if page.pk not in seen]
            total = len(candidates)
    widened = set()
    # Counted as the public sees them: an engine's candidates still hold hidden aliases.
    shown = sum(1 for page in candidates if not hidden_from_search(page))
    if shown < WIDEN_BELOW and not outcome.numbered:
        more, used, degraded = _widen(queryset, words, clauses, candidates, outcome, used, degraded)
        widened = {page.pk for page in more}
        candidates += more
        total = max(total, len(candidates))
    outcome.backend = _backend_label(used)
    outcome.degraded = degraded
    if degraded:
        engine_missed_something()
    elif used != names[-1]:
        _catch_up()

    # The documents a number names come first (the API's results too), even where the text
    # search did not find them (an issuer code is not a word of their text); those the
    # search page lists apart are not repeated among its results.
    found = {page.pk for page in candidates}
    extra = [page for page in numbered if page.pk not in found]
    left_out = len(found & apart)
    candidates = extra + [page for page in candidates if page.pk not in apart]
    total += len(extra) - left_out
    visible = [p for p in candidates if not hidden_from_search(p)]
    total -= len(candidates) - len(visible)
    outcome.widened_count = sum(1 for page in visible if page.pk in widened)
    if not outcome.widened_count:
        outcome.widened = []  # what it found the public may not see: nothing to say
    ranked = _rank(visible, query, clauses, [page.pk for page in numbered], widened)

    promoted = _promoted(query, locale) if page == 1 and not filters.active() else []
    promoted_ids = {p.pk for p in promoted}
    ranked = [p for p in ranked if p.pk not in promoted_ids]
    total = max(total, len(ranked))

    paginator = Paginator(range(total), page_size)
    outcome.count = total
    outcome.num_pages = paginator.num_pages if total else 0
    start = (page - 1) * page_size
    end = start + page_size
    chosen = ranked[start:end]
    if len(chosen) < page_size and total > len(ranked):
        # Past the re-ranked candidates the backend's order takes over, which holds neither
        # the documents put ahead of it nor leaves out those listed apart.
        beyond = max(start, len(ranked))
        offset = max(0, beyond - len(extra) + left_out)
        _unused, more, _name, _degraded = _run_offset(
            queryset, clauses, names, offset, end - beyond
        )
        skip = {page.pk for page in ranked} | apart
        chosen += [p for p in more if not hidden_from_search(p) and p.pk not in skip]
    chosen = _specific(chosen)
    marked = [word for clause in clauses for choice in clause for word in choice]
    marked += outcome.widened
    outcome.hits = [Hit(p, snippet(p, marked), type_of(p), promoted=True) for p in promoted] + [
        Hit(p, snippet(p, marked), type_of(p), widened=p.pk in widened) for p in chosen
    ]
    # Pages with any one of the words were searched for already when there were several
    # clauses: none has any word, and counting each word again (a scan of the database
    # backend's index per word, most of a zero-result search's time) would find nothing.
    if not outcome.hits and not outcome.numbered and not any_word_searched:
        scope = (locale.pk, filters.type, filters.function, filters.year)
        scope += (getattr(filters.region, "pk", None),)
        answering = names[names.index(used) :] if used in names else names
        outcome.suggestions = suggest(queryset, words, answering, scope)
    return outcome


def _two_characters(word):
    return len(word) == 2 and all("\u4e00" <= ch <= "\u9fff" for ch in word)


def _widen(queryset, words, clauses, candidates, outcome, used, degraded):
    """Pages with the shorter words inside the query's words, for a search that found
    less than a page: first those with every part of a one-word query (乡村振兴 finds
    乡村全面振兴), then those with any part (稻飞虱 finds pages on 飞虱). The parts go on
    ``outcome.widened`` (the page says it searched for them) when they found anything
    new. A backend that fails here leaves the search as it was."""
    taken = {word for clause in clauses for choice in clause for word in choice}
    parts = []
    for word in words:
        parts += [part for part in sub_words(word) if part not in taken and part not in parts]
    parts = parts[:MAX_WIDENING]
    tiers = [([tuple((part,) for part in parts)], "or")] if parts else []
    if len(words) == 1 and len(parts) > 1:
        tiers.insert(0, (plain(parts), "and"))
    elif (
        len(words) == 1
        and not parts
        and not candidates
        and _two_characters(words[0])
        and not synonyms.widened(clauses)
    ):
        # A two-character word no page has (雷笋): pages where both characters stand as
        # words of their own (雷竹 … 笋), never either alone, which nearly every page has.
        parts = list(words[0])
        tiers = [(plain(parts), "and")]
    if not tiers:
        return [], used, degraded
    # From the backend that answered the direct search on: an engine that just failed (a
    # time-out) is not waited for again.
    names = search_backends()
    names = names[names.index(used) :] if used in names else names
    seen = {page.pk for page in candidates}
    more = []
    for tier_clauses, operator in tiers:
        try:
            found, _total, used_here, degraded_here = find_candidates(
                queryset, tier_clauses, operator, names
            )
        except Exception:  # every backend failed: the direct results stand alone
            break
        for page in found:
            if page.pk not in seen:
                seen.add(page.pk)
                more.append(page)
        used, degraded = used_here, degraded or degraded_here
    if more:
        outcome.widened = parts
    return more[:CANDIDATES], used, degraded


def _numbered(query, locale, queryset, chosen, outcome):
    """The documents whose number the query is (any typing of it), begins (an issuer's
    code, with or without a year) or ends (a year and a number, any issuer), newest first,
    within the search's filters: candidate rows for the ranking. The first
    ``NUMBERED_SHOWN`` go on ``outcome.numbered`` as documents, with their count and, for a
    prefix, the library that lists them all (when the library can apply the search's
    filters: the year, not a function or region).
    ``query`` is normalised (Simplified, half-width), as the text search reads it."""
    canonical = docnumbers.normalise(query)
    start = None if canonical else docnumbers.prefix(query)
    # Only the year and number (〔2025〕12号): every issuer's document numbered so.
    tail = None if canonical or start else docnumbers.year_and_number(query)
    if not (canonical or start or tail):
        return []
    rows = []
    for kind in content_types.kinds():
        if not kind.number_field:
            continue
        if canonical:
            lookup = {kind.number_field: canonical}
        elif start:
            lookup = {f"{kind.number_field}__startswith": start.stored_start}
        else:
            lookup = {f"{kind.number_field}__endswith": tail}
        documents = (
            public_pages(kind.get_model(), locale=locale)
            .filter(**lookup)
            .filter(pk__in=queryset.values("pk"))
            .order_by(f"-{kind.date_field}", "-pk")
        )
        shown = list(documents[: NUMBERED_SHOWN + 1])
        if not shown:
            continue
        count = len(shown) if len(shown) <= NUMBERED_SHOWN else kept_count(documents)
        outcome.numbered += shown[:NUMBERED_SHOWN]
        outcome.numbered_count += count
        if start and not outcome.numbered_prefix:
            outcome.numbered_prefix = str(start)
            if not (chosen.function or chosen.region or chosen.tag):
                outcome.numbered_library = memo(
                    ("numbered-library", kind.key, locale.pk),
                    lambda kind=kind: next(
                        (index for found in kind.indexes(locale=locale) for index in found.live()),
                        None,
                    ),
                )
                params = {"number": str(start)} | ({"year": chosen.year} if chosen.year else {})
                outcome.numbered_library_query = urlencode(params)
        # Ranked ahead of the text matches: as many as the search ranks at once at most.
        order = [f"-{kind.get_model()._meta.model_name}__{kind.date_field}", "-pk"]
        rows += queryset.filter(pk__in=documents.values("pk")).order_by(*order)[:NUMBERED_RANKED]
    return rows


def _specific(pages):
    """The pages as their own types, in the same order, in one query per type."""
    by_pk = {page.pk: page for page in Page.objects.filter(pk__in=[p.pk for p in pages]).specific()}
    return [by_pk[page.pk] for page in pages if page.pk in by_pk]


def _run_offset(queryset, clauses, names, start, size):
    for name in names:
        try:
            if sqlite_fts.usable(settings.WAGTAILSEARCH_BACKENDS[name]):
                pages, _total = sqlite_fts.search(_for_backend(queryset, name), clauses, "and")
                return None, pages[start : start + size], name, False
            query, operator = _backend_query(clauses, "and")
            results = _for_backend(queryset, name).search(query, operator=operator, backend=name)
            return None, list(results[start : start + size]), name, False
        except Exception as error:
            logger.warning("search backend %s failed: %s", name, error)
    return None, [], names[-1], True


# How many pages have a word, for the suggestions of a search that found nothing, kept per
# content generation: the same misspelt query typed again costs no count.
_word_counts = LocalLRU(2000)


def suggest(queryset, words, names, scope=()):
    """When nothing matched every word: each word alone, with how many pages have it.

    Counted by the first of ``names`` that answers (the backend that ran the search: an
    engine counts in milliseconds, where the database backend scans its index), and kept
    per generation and ``scope`` (what narrows ``queryset``: locale and filters)."""
    suggestions = []
    if len(words) > 1:
        for word in words[:4]:
            current = generation()
            key = (current, *scope, word)
            count = _word_counts.get(key) if current is not None else None
            if count is None:
                count = _count(queryset, word, names)
                if count is not None and current is not None:
                    _word_counts.set(key, count)
            if count:
                suggestions.append((word, count))
    return suggestions


def _count(queryset, word, names):
    for name in names:
        searched = queryset
        if _backend_label(name) == "database":
            searched = _in_one_subquery(queryset)  # Wagtail's count, also beside sqlite_fts
        try:
            return searched.search(word, backend=name).count()
        except Exception as error:  # this backend cannot count now: the next one
            logger.warning("search backend %s failed to count: %s", name, error)
    return None


def suggest_titles(prefix, locale, limit=8):
    """Titles that start like ``prefix`` (Chinese words, or pinyin initials), best first."""
    words = query_words(clean_query(prefix))
    if not words:
        return []
    queryset = Page.objects.live().public().filter(locale=locale).type(*_models(Filters()))
    try:
        candidates, _total, _name, _degraded = find_candidates(
            queryset, plain(words), "and", search_backends(), autocomplete=True
        )
    except Exception:  # no backend could run it: no suggestions, not an error page
        return []
    return [page for page in candidates if not hidden_from_search(page)][:limit]
