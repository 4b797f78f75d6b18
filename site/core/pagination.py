"""Pagination shared by every listing: bad page numbers never raise a 500; the query
strings of filter and page links (``{% query_with %}``, registered in ``pioneer_tags``)."""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404


def paginate(request, queryset, per_page=12, param="page"):
    """Return the requested page; junk numbers give page 1, numbers past the end a 404."""
    paginator = Paginator(queryset, per_page)
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
