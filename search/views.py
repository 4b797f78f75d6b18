"""The learner-facing search page (``/<lang>/search/?q=``) and ``/api/search/``."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Locale

from pioneer.core import filters as shared_filters
from pioneer.core.public import active_locale
from search import service

PAGE_SIZE = 10
MAX_PAGE_SIZE = 50


def _page_number(raw, default=1):
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 10_000 else None


def _chosen_labels(filters, types):
    """The active filters in words, for the folded filters' summary."""
    labels = []
    if filters.type:
        labels.append(dict(types)[filters.type])
    if filters.function:
        labels.append(dict(shared_filters.function_choices())[filters.function])
    if filters.region:
        labels.append(filters.region.label)
    if filters.year:
        labels.append(str(filters.year))
    return labels


@require_GET
def search(request):
    locale = active_locale()
    ignored = []
    try:
        filters = service.parse_filters(request.GET, locale)
    except service.BadParameter as error:
        # A learner's stale or mistyped link: search without that filter and say so.
        ignored.append(error.name)
        params = request.GET.copy()
        params.pop(error.name, None)
        try:
            filters = service.parse_filters(params, locale)
        except service.BadParameter:
            filters = service.Filters()
    page = _page_number(request.GET.get("page", "1")) or 1
    outcome = service.search(
        request.GET.get("q", ""), locale, filters, page, PAGE_SIZE, numbered_apart=True
    )
    types = [(key, label) for key, (label, _models) in service.TYPES.items()]
    context = {
        "query": outcome.query,
        "outcome": outcome,
        "filters": filters,
        "ignored_filters": ignored,
        "page_title": _("搜索"),
        "types": types,
        "chosen": _chosen_labels(filters, types),
        "functions": shared_filters.function_choices(),
        "regions": shared_filters.region_choices(locale, without="province"),
        "years": shared_filters.years(locale),
        "has_previous": outcome.page > 1,
        "has_next": outcome.page < outcome.num_pages,
    }
    status = 404 if outcome.num_pages and page > outcome.num_pages else 200
    return _kept_only_if_complete(
        render(request, "search/search.html", context, status=status), outcome
    )


def _kept_only_if_complete(response, outcome):
    """An answer from the fallback (the engine away) is not to be kept by nginx or the
    browser: once the engine is back, the next search should get its answer."""
    if outcome.degraded:
        patch_cache_control(response, no_store=True)
    return response


def _error(message, parameter=None):
    payload = {"error": message}
    if parameter:
        payload["parameter"] = parameter
    return JsonResponse(payload, status=400, json_dumps_params={"ensure_ascii": False})


def _locale_and_query(request):
    """The API's two common parameters, or the 400 that explains what is wrong."""
    locale = Locale.objects.filter(language_code=request.GET.get("locale", "zh-hans")).first()
    if locale is None:
        return None, None, _error("unknown locale", "locale")
    query = service.clean_query(request.GET.get("q", ""))
    if not query:
        return None, None, _error("q is required", "q")
    return locale, query, None


@require_GET
def api_search(request):
    """DESIGN.md contract 2: ``GET /api/search/?q=TEXT[&type=&function=&region=&page=…]``."""
    locale, query, error = _locale_and_query(request)
    if error:
        return error
    page = _page_number(request.GET.get("page", "1"))
    if page is None:
        return _error("page must be a whole number from 1", "page")
    page_size = _page_number(request.GET.get("page_size", str(PAGE_SIZE)))
    if page_size is None or page_size > MAX_PAGE_SIZE:
        return _error(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}", "page_size")
    try:
        filters = service.parse_filters(request.GET, locale)
    except service.BadParameter as error:
        return _error(str(error), error.name)
    outcome = service.search(query, locale, filters, page, page_size)
    results = []
    for hit in outcome.hits:
        date = hit.date
        results.append(
            {
                "id": hit.page.pk,
                "source_id": getattr(hit.page, "source_id", "") or None,
                "type": hit.type,
                "title": hit.page.title,
                "url": hit.page.get_full_url(request),
                "snippet": str(hit.snippet),
                "date": date.isoformat() if date else None,
                "promoted": hit.promoted,
            }
        )
    response = JsonResponse(
        {
            "query": outcome.query,
            "count": outcome.count,
            "backend": outcome.backend,
            "degraded": outcome.degraded,
            "page": page,
            "page_size": page_size,
            "results": results,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    return _kept_only_if_complete(response, outcome)


@require_GET
def api_suggest(request):
    """``GET /api/search/suggest/?q=水稻种`` → titles for a search box's suggestions."""
    locale, query, error = _locale_and_query(request)
    if error:
        return error
    pages = service.suggest_titles(query, locale)
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {"id": page.pk, "title": page.title, "url": page.get_full_url(request)}
                for page in pages
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
