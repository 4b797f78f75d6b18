"""Pagination shared by every listing: bad page numbers never raise a 500; the query
strings of filter and page links (``{% query_with %}``, registered in ``pioneer_tags``)."""

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404


class FromEitherEndPaginator(Paginator):
    """Pages past the middle read from the end: the last page of 100,000 lessons is the
    first rows of the reversed order, not the rows after an OFFSET of 99,990 (which the
    database reads and throws away). Only for a total order (one ending on the primary
    key), so that both directions cut the list at the same places."""

    def page(self, number):
        number = self.validate_number(number)
        if number <= (self.num_pages + 1) // 2 or not _totally_ordered(self.object_list):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        from_end = self.count - top
        items = list(self.object_list.reverse()[from_end : from_end + (top - bottom)])
        items.reverse()
        return Page(items, number, self)


def _totally_ordered(queryset):
    order = getattr(getattr(queryset, "query", None), "order_by", ())
    if not order or not isinstance(order[-1], str):
        return False
    last = order[-1].lstrip("-")
    return last in ("pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname, "id")


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
