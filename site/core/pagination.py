"""Pagination shared by every listing: bad page numbers never raise a 500; the query
strings of filter and page links (``{% query_with %}``, registered in ``pioneer_tags``)."""

import itertools

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property

from pioneer.caching.generation import LocalLRU, generation

# What a listing's COUNT and its pages' first rows are, per content generation: they change
# only with the content, and at 100,000 lessons each costs a pass over the listing's rows.
_counts = LocalLRU(512)
_bookmarks = LocalLRU(32)


class FromEitherEndPaginator(Paginator):
    """A listing's pages for any depth at about the cost of its first page.

    Pages within ``DIRECT_ROWS`` of either end are read by a small OFFSET from the nearer
    end: the last page of 100,000 lessons is the first rows of the reversed order, not the
    rows after an OFFSET of 99,990 (which the database reads and throws away). Pages deeper
    than that start at a bookmark: the order's values of every page's first row, read in one
    pass once per content generation, so page 4,000 is "the rows at or after (date, pk)" and
    an index seek. The count is kept for the generation too. Only for a total order (one
    ending on the primary key), so that both directions and every bookmark cut the list at
    the same places."""

    DIRECT_ROWS = 1200

    @cached_property
    def count(self):
        key = _key("count", self.object_list)
        if key is None:
            return super().count
        found = _counts.get(key)
        if found is None:
            found = super().count
            _counts.set(key, found)
        return found

    def page(self, number):
        number = self.validate_number(number)
        order = _total_order(self.object_list)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        from_end = self.count - top
        if order is None or bottom <= min(from_end, self.DIRECT_ROWS):
            return super().page(number)
        if from_end <= self.DIRECT_ROWS:
            items = list(self.object_list.reverse()[from_end : from_end + (top - bottom)])
            items.reverse()
            return Page(items, number, self)
        first = self._bookmarks(order)
        if first is None or len(first) < number:
            return super().page(number)
        items = list(
            self.object_list.filter(_at_or_after(order, first[number - 1]))[: top - bottom]
        )
        return Page(items, number, self)

    def _bookmarks(self, order):
        """The order's values of each page's first row, or None when a value is NULL
        (NULLs sort differently by database, so the listing keeps its OFFSET)."""
        key = _key(("bookmarks", self.per_page), self.object_list)
        found = _bookmarks.get(key) if key is not None else None
        if found is not None:
            return found or None
        rows = (
            self.object_list.prefetch_related(None)
            .values_list(*(name for name, _descending in order))
            .iterator(chunk_size=10000)
        )
        found = []
        for row in itertools.islice(rows, 0, None, self.per_page):
            if None in row:
                found = []
                break
            found.append(row)
        if key is not None:
            _bookmarks.set(key, found)
        return found or None


def _key(kind, queryset):
    current = generation()
    if current is None:
        return None
    sql, params = queryset.query.sql_with_params()
    return (current, kind, queryset.db, sql, repr(params))


def _total_order(queryset):
    """The order as (field, descending) pairs when its last field is the primary key."""
    order = getattr(getattr(queryset, "query", None), "order_by", ())
    if not order or not all(isinstance(field, str) for field in order):
        return None
    pk_names = ("pk", "id", queryset.model._meta.pk.name, queryset.model._meta.pk.attname)
    if order[-1].lstrip("-") not in pk_names:
        return None
    return [(field.lstrip("-"), field.startswith("-")) for field in order]


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
