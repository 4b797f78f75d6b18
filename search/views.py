"""The learner-facing search page (``/<lang>/search/?q=``) and ``/api/search/``."""

import base64
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited
from wagtail.models import Locale

from pioneer.core import filters as shared_filters
from pioneer.core.public import active_locale
from search import query_log, service

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
    # Learners' searches are counted, as typed: not a page narrowed by a filter (its count
    # is the filter's, and each click on one would count again), nor an editor's (logged
    # in: the report's own "see the results" link, checks of a promotion).
    counted = outcome.query and not (filters.active() or filters.tag)
    counted = counted and not request.user.is_authenticated
    if counted:
        for hit in outcome.hits:
            hit.ping_url = _ping_url(hit.page.pk, outcome.query, locale)
        for document in outcome.numbered:
            document.ping_url = _ping_url(document.pk, outcome.query, locale)
    if counted and page == 1 and status == 200:
        # Counted when the browser shows the page (the image below), not here: nginx keeps
        # this answer 2 minutes and serves it without asking the site. A promoted result
        # answers the query as much as a found one.
        promoted = sum(hit.promoted for hit in outcome.hits)
        # What the learner's words found: pages only the widened query found leave the
        # query on the editors' report of searches that found nothing.
        found = outcome.direct_count + outcome.numbered_count + promoted
        token = query_log.seen_token(outcome.query, found, locale.language_code)
        context["seen_url"] = f"{reverse('search_seen')}?{urlencode({'t': token})}"
    return _kept_only_if_complete(
        render(request, "search/search.html", context, status=status), outcome
    )


def _ping_url(page_id, query, locale):
    signature = query_log.open_signature(query, page_id, locale.language_code)
    params = {"q": query, "s": signature}
    return f"{reverse('search_open', args=[page_id])}?{urlencode(params)}"


# A transparent 1×1 GIF: what an <img> expects, in 43 bytes.
_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
def search_seen(request):
    """Counts one search: the search page's image, fetched by each browser that shows the
    page, with the query and result count the page was made with (signed)."""
    language = active_locale().language_code
    seen = query_log.read_seen_token(request.GET.get("t"), language)
    if seen is None:
        return _never_cached(HttpResponseBadRequest("bad token", content_type="text/plain"))
    query, count = seen
    if not _cross_site(request) and not _over_log_limit(request):
        query_log.record_search(query, language, count)
    response = HttpResponse(_PIXEL, content_type="image/gif")
    # The browser keeps the image as long as its token is good, nginx never: every browser
    # that shows the page counts once, and Back or a reload adds nothing (the same search
    # names the same image for SEEN_BUCKET, also when the site renders it again).
    patch_cache_control(response, private=True, max_age=int(query_log.SEEN_MAX_AGE.total_seconds()))
    response["X-Accel-Expires"] = "0"
    return response


@csrf_exempt  # a browser's ping carries no token; the signature below stands for one
@require_POST
def search_open(request, page_id):
    """A result opened from the search page: the browser's ``ping`` when the learner
    follows the link (``<a href="the page" ping="here">``), counted for its query.

    The link itself goes straight to the page: no redirect costs a round trip on a slow
    network, and a page nginx has kept still opens while the site is down. Browsers that
    send no pings (Firefox by default) count no opens. A ping whose signature does not
    match (made up, or older than a key change) counts nothing; all get 204."""
    query = service.clean_query(request.GET.get("q", ""))
    language = active_locale().language_code
    signature = request.GET.get("s")
    signed = query and query_log.open_signature_ok(query, page_id, language, signature)
    if signed and not _cross_site(request) and not _over_log_limit(request):
        query_log.record_open(query, language)
    return _never_cached(HttpResponse(status=204))


def _cross_site(request):
    """A counter fetched from another site's page (an <img> or link planted there, which
    would count its visitors' browsers): browsers say so in ``Sec-Fetch-Site``, and a ping
    or a form posted from elsewhere names its ``Origin``."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if not origin:
        return False
    return urlsplit(origin).netloc != request.get_host()


def _over_log_limit(request):
    """Whether this client has sent more counts than ``RATE_LIMIT_SEARCH_LOG`` allows (one
    address flooding the log with writes); never a reason to refuse the request."""
    rate = settings.RATE_LIMIT_SEARCH_LOG
    if not rate:
        return False
    try:
        return is_ratelimited(request, group="search-log", key="ip", rate=rate, increment=True)
    except Exception:  # the cache away: count rather than fail the learner's request
        return False


def _never_cached(response):
    """Neither nginx nor the browser may keep a counter's answer (each one counts)."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Accel-Expires"] = "0"
    return response


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
                "widened": hit.widened,
            }
        )
    response = JsonResponse(
        {
            "query": outcome.query,
            "count": outcome.count,
            "backend": outcome.backend,
            "degraded": outcome.degraded,
            "widened_words": outcome.widened,
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
