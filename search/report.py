"""报告 → 搜索词: the queries learners typed that found nothing, and those whose results
nobody opened, over the last 7 and 30 days. Every office reads it (county editors know the
words their learners use); those who manage recommended (promoted) results act on it.

Read from the search log (``search.models.SearchQueryDay``); a query an editor has since
answered with a promoted result drops off the "found nothing" list, as does one whose last
search found something (new content, a synonym).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from wagtail.models import Locale

from search.models import SearchQueryDay, SynonymGroup
from search.query_log import only_masks

SHOWN = 100
# Queries a synonym group widens are searched again to see whether it now finds something:
# at most this many per report (the most frequent first; the rest stay listed till then).
SYNONYM_CHECKS = 30
UNOPENED_SEARCHES = 3  # searches that found something, before today, over 30 days
UNOPENED_DAYS = 2  # on at least this many days
PROMOTION_PERMISSIONS = (
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
)


def can_view(user):
    """Every office's editors and reviewers (``setup_roles`` gives them the log's view right)."""
    return user.is_active and user.has_perm("search.view_searchqueryday")


def can_promote(user):
    """Those who may add or change recommended results: the province's reviewers."""
    return user.is_active and any(user.has_perm(name) for name in PROMOTION_PERMISSIONS)


def can_add_synonyms(user):
    """Those who keep synonym groups: the province's and the cities' offices."""
    return user.is_active and user.has_perm("search.add_synonymgroup")


def _answered_by_synonyms(queries, language):
    """Which of ``queries`` a synonym group now widens, and the widened search finds
    something (only those: a group that finds nothing more leaves the query listed)."""
    from pioneer.core.text.segmentation import query_words
    from search import service, synonyms

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return set()
    answered = set()
    widened = [q for q in queries if synonyms.widened(synonyms.clauses_for(query_words(q)))]
    for query in widened[:SYNONYM_CHECKS]:
        try:
            if service.search(query, locale, page_size=1).direct_count:
                answered.add(query)
        except Exception:  # a backend that fails here leaves the query listed, as it was
            continue
    return answered


def _promoted(queries, language):
    """Which of ``queries`` a promoted result answers now: as the search would show it to a
    learner of ``language`` (``service._promoted``: the same matching of the query, and
    only a live public page in that language)."""
    from search.service import _promoted as promoted_for

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return set()
    return {query for query in queries if promoted_for(query, locale)}


def query_rows(language, today=None):
    """``(found_nothing, not_opened)``: rows with each query's counts over 7 and 30 days."""
    today = today or timezone.localdate()
    since_30 = today - datetime.timedelta(days=29)
    since_7 = today - datetime.timedelta(days=6)
    last_7 = Q(day__gte=since_7)
    logged = SearchQueryDay.objects.filter(language=language, day__gte=since_30, day__lte=today)
    latest = (
        SearchQueryDay.objects.filter(
            query=OuterRef("query"), language=language, last_count__isnull=False
        )
        .order_by("-day")
        .values("last_count")[:1]
    )
    totals = logged.values("query").annotate(
        searches_7=Sum("searches", filter=last_7, default=0),
        searches_30=Sum("searches", default=0),
        empty_7=Sum("empty", filter=last_7, default=0),
        empty_30=Sum("empty", default=0),
        opens_7=Sum("opens", filter=last_7, default=0),
        opens_30=Sum("opens", default=0),
        latest_count=Subquery(latest, output_field=IntegerField()),
    )
    nothing = list(
        totals.filter(empty_30__gt=0, latest_count=0).order_by("-empty_30", "-empty_7", "query")[
            : SHOWN * 2
        ]
    )
    listed = [row["query"] for row in nothing]
    answered = _promoted(listed, language) | _answered_by_synonyms(listed, language)
    nothing = [row for row in nothing if row["query"] not in answered]
    nothing = [row for row in nothing if not only_masks(row["query"])][:SHOWN]
    # "Nobody opened" once learners have had the chance: searches that found something on
    # days before today, enough of them and on enough days not to list a one-off search
    # (nor what one person typed once).
    before_today = Q(day__lt=today, searches__gt=F("empty"))
    unopened = list(
        totals.annotate(
            found_30=F("searches_30") - F("empty_30"),
            found_before=Sum(F("searches") - F("empty"), filter=before_today, default=0),
            days_found=Count("day", filter=before_today, distinct=True),
        )
        .filter(
            opens_30=0,
            latest_count__gt=0,
            found_before__gte=UNOPENED_SEARCHES,
            days_found__gte=UNOPENED_DAYS,
        )
        .order_by("-found_30", "-searches_7", "query")[: SHOWN * 2]
    )
    unopened = [row for row in unopened if not only_masks(row["query"])][:SHOWN]
    add_synonym = reverse(SynonymGroup.snippet_viewset.get_url_name("add"))
    for row in nothing + unopened:
        row["promote_url"] = f"{reverse('search_query_promote')}?{urlencode({'q': row['query']})}"
        row["synonym_url"] = f"{add_synonym}?{urlencode({'terms': row['query']})}"
        row["search_url"] = _public_search_url(language, row["query"])
    return nothing, unopened


def _public_search_url(language, query):
    with translation.override(language):
        return f"{reverse('search')}?{urlencode({'q': query})}"


def query_report(request):
    if not can_view(request.user):
        raise PermissionDenied
    locales = list(Locale.objects.order_by("pk"))
    codes = [locale.language_code for locale in locales]
    language = request.GET.get("language", codes[0] if codes else "zh-hans")
    if language not in codes:
        return HttpResponseBadRequest(_("没有这种语言。"), content_type="text/plain; charset=utf-8")
    nothing, unopened = query_rows(language)
    return TemplateResponse(
        request,
        "search/admin/query_report.html",
        {
            "languages": [(code, get_language_info(code)["name_translated"]) for code in codes],
            "language": language,
            "found_nothing": nothing,
            "not_opened": unopened,
            "shown": SHOWN,
            "can_promote": can_promote(request.user),
            "can_add_synonyms": can_add_synonyms(request.user),
            "header_icon": "search",
        },
    )


def promote_query(request):
    """Wagtail's "add a promoted result" form with the query filled in (its own view reads
    no initial value); the form posts to Wagtail's view as usual."""
    from wagtail.contrib.search_promotions.views import CreateView

    class PrefilledCreateView(CreateView):
        def get_initial(self):
            initial = super().get_initial()
            initial["query_string"] = self.request.GET.get("q", "")[:255]
            return initial

    return PrefilledCreateView.as_view()(request)
