"""Pagination shared by every listing: bad page numbers never raise a 500; the query
strings of filter and page links (``{% query_with %}``, registered in ``pioneer_tags``)."""

import datetime
import itertools
import re

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.functional import cached_property

from pioneer.caching.generation import LocalLRU, generation

# What a listing's COUNT and its rows' bookmarks are, per content generation: they change
# only with the content, and at 100,000 lessons each costs a pass over the listing's rows.
_counts = LocalLRU(512)
_bookmarks = LocalLRU(32)

DIRECT_ROWS = 1200  # rows within this of either end are read by OFFSET from that end
STEP = 100  # rows between two bookmarks


def kept_count(queryset):
    """``queryset.count()``, once per process and content generation."""
    return _kept(_counts, _key("count", queryset), queryset.count)


def _kept(store, key, compute):
    """``compute()``, kept in ``store`` under ``key`` (None: nothing to key it on)."""
    found = store.get(key) if key is not None else None
    if found is None:
        found = compute()
        if key is not None:
            store.set(key, found)
    return found


def rows(queryset, start, stop, count):
    """``list(queryset[start:stop])`` for any depth at about the cost of the first rows.

    Rows within ``DIRECT_ROWS`` of either end are read by a small OFFSET from the nearer
    end: the last page of 100,000 lessons is the first rows of the reversed order, not the
    rows after an OFFSET of 99,990 (which the database reads and throws away). Deeper rows
    start at a bookmark: the order's values of every ``STEP``-th row, read in one pass once
    per content generation, so row 50,000 is "the rows at or after (date, pk)", an index
    seek, plus an OFFSET under ``STEP``. Only for a total order (one ending on a unique
    field), so that both directions and every bookmark cut the list at the same places."""
    stop = min(stop, count)
    if start >= stop:
        return []
    order = _total_order(queryset)
    from_end = count - stop
    if order is None or start <= min(from_end, DIRECT_ROWS):
        return list(queryset[start:stop])
    if from_end <= DIRECT_ROWS:
        items = list(queryset.reverse()[from_end : from_end + (stop - start)])
        items.reverse()
        return items
    marks = _marks(queryset, order)
    if marks is None or len(marks) <= start // STEP:
        return list(queryset[start:stop])
    skip = start % STEP
    after = queryset.filter(_at_or_after(order, marks[start // STEP]))
    return list(after[skip : skip + stop - start])


class FromEitherEndPaginator(Paginator):
    """Django's paginator with the count kept for the content generation and each page's
    rows read by ``rows``."""

    @cached_property
    def count(self):
        return kept_count(self.object_list) if _is_queryset(self.object_list) else super().count

    def page(self, number):
        number = self.validate_number(number)
        if not _is_queryset(self.object_list):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        return Page(rows(self.object_list, bottom, top, self.count), number, self)


def _marks(queryset, order):
    """The order's values of every ``STEP``-th row, or None when a value is NULL (NULLs
    sort first on one database and last on another: the rows keep their OFFSET)."""
    marks = _kept(_bookmarks, _key("bookmarks", queryset), lambda: _read_marks(queryset, order))
    return marks or None


def _read_marks(queryset, order):
    values = (
        queryset.prefetch_related(None)
        .values_list(*(name for name, _descending in order))
        .iterator(chunk_size=10000)
    )
    found = []
    for row in itertools.islice(values, 0, None, STEP):
        if None in row:
            return []  # kept as "none": the listing keeps its OFFSET
        found.append(row)
    return found


def _is_queryset(value):
    return isinstance(value, QuerySet)


def _key(kind, queryset):
    current = generation()
    if current is None or not _is_queryset(queryset):
        return None
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a condition that holds for no row (``none()``): nothing to keep
        return None
    # The public rule compares expiry dates with the time of the query: to the minute
    # here, so that a listing's count is kept at all (publish_scheduled takes an expired
    # page down within a minute, and that moves the generation).
    params = [_to_the_minute(value) for value in params]
    return (current, kind, queryset.db, sql, repr(params))


_TIMESTAMP = re.compile(r"\d\d\d\d-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


def _to_the_minute(value):
    """A datetime, or the text SQLite's adapter made of one, cut to the minute."""
    if isinstance(value, datetime.datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and _TIMESTAMP.match(value):
        return value[:16]
    return value


def _total_order(queryset):
    """The order as (field, descending) pairs when its last field is unique (the primary
    key, or a page's tree path: the model's own order, which Wagtail's API lists keep)."""
    query = queryset.query
    order = query.order_by or (query.default_ordering and queryset.model._meta.ordering) or ()
    if not order or not all(isinstance(field, str) for field in order):
        return None
    last = order[-1].lstrip("-")
    if last not in ("pk", "id") and not _unique(queryset.model, last):
        return None
    return [(field.lstrip("-"), field.startswith("-")) for field in order]


def _unique(model, name):
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(field.primary_key or field.unique) and not field.null


def _at_or_after(order, values):
    """The rows that come at or after ``values`` in ``order``: the first field past it, or
    equal and the next field past it, and so on; equal on every field is the row itself."""
    condition = Q(**{name: value for (name, _d), value in zip(order, values, strict=True)})
    for place in range(len(order)):
        name, descending = order[place]
        past = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[place]})
        for (earlier, _d), value in zip(order[:place], values[:place], strict=False):
            past &= Q(**{earlier: value})
        condition |= past
    return condition


def paginate(request, queryset, per_page=12, param="page"):
    """Return the requested page; junk numbers give page 1, numbers past the end a 404."""
    paginator = FromEitherEndPaginator(queryset, per_page)
    raw = request.GET.get(param, "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    if number < 1:
        number = 1
    try:
        return paginator.page(number)
    except EmptyPage as exc:
        if number == 1:
            return paginator.page(1)
        raise Http404("没有这一页") from exc


def query_without(request, *names):
    """The current query string minus some parameters, for filter and page links."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def query_with(context, **changes):
    """``{% query_with %}``: the current query string with some parameters replaced (or
    removed when None)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
