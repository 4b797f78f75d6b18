"""The partners' JSON API (Wagtail API v2) at /api/v2/: pages, images and documents.

Read only, anonymous, and bound to the one public-visibility rule: the pages endpoint
lists ``public_pages`` of one locale (``?locale=zh-hans`` by default, or ``en``).
Filters beyond Wagtail's own: ``function``/``category``, ``region`` (slug), ``tag``
(topic slug), ``date_from``/``date_to`` (ISO dates). ``search`` uses the site's Chinese
segmentation, so it finds what the search page finds.
"""

import datetime
import re

from django.conf import settings
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.urls import NoReverseMatch
from rest_framework.filters import BaseFilterBackend
from wagtail.api.v2.filters import LocaleFilter, SearchFilter, TranslationOfFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Locale, Page

from pioneer.caching.generation import memo
from pioneer.core import content_types, filters
from pioneer.core.media_privacy import public_ids
from pioneer.core.pages import specific_with_relations
from pioneer.core.pagination import kept_count, rows
from pioneer.core.public import hidden_from_search, public_pages
from pioneer.core.text.segmentation import query_words
from search import synonyms
from search.service import find_candidates, search_backends

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
EXTRA_PARAMETERS = {"locale", "function", "category", "region", "tag", "date_from", "date_to"}


def _date(value, name):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise BadRequestError(f"{name} must be a date like 2026-01-31") from error


class SiteFilter(BaseFilterBackend):
    """function, region, tag and date range, on the page types that have them."""

    # The region narrows the kinds the regions' feeds list (lessons and news).
    reading = filters.Reading(
        frozenset({"function", "region", "tag"}), names={"function": ("function", "category")}
    )
    messages = {
        "function": lambda: f"function must be one of {', '.join(filters.function_values())}",
        "region": lambda: "unknown region",
    }

    def filter_queryset(self, request, queryset, view):
        params = request.GET
        # The locale is only read (and checked) when a region is asked for.
        locale = view.locale if params.get("region") else None
        try:
            found, _bad = filters.read(params, locale, self.reading, strict=True)
        except filters.BadFilter as error:
            raise BadRequestError(self.messages[error.filter]()) from error
        region_kinds = [kind for kind in content_types.kinds() if kind.in_region_feeds]
        queryset = filters.narrow_pages(queryset, found, region_kinds=region_kinds)
        for name, lookup in (("date_from", "gte"), ("date_to", "lte")):
            if params.get(name):
                day = _date(params[name], name)
                queryset = filters.on_kinds(
                    queryset,
                    {kind: (f"{kind.date_field}__{lookup}", day) for kind in content_types.kinds()},
                )
        return queryset


class SegmentedSearchFilter(BaseFilterBackend):
    """``?search=`` with the site's segmentation instead of Wagtail's raw query."""

    def filter_queryset(self, request, queryset, view):
        text = " ".join(request.GET.get("search", "").split())[:200]
        if not text:
            return queryset
        words = query_words(text)
        if not words:
            return queryset.none()
        # The listing's own conditions go to the backend as they are: an engine applies
        # the filters it indexes (type, function, region, dates), and a condition it
        # keeps no field for sends the search to the database, which runs them all in
        # one query. Never a list of the listing's page ids (the engine's limit on a
        # terms list is 65,536).
        try:
            found, _total, _backend, _degraded = find_candidates(
                queryset.order_by(), synonyms.clauses_for(words), "and", search_backends()
            )
        except Exception as error:  # no backend could run it: the query is the problem
            raise BadRequestError("search could not be run for this query") from error
        ids = [page.pk for page in found if not hidden_from_search(page)]
        return queryset.filter(pk__in=ids)


class RequestHtmlUrlField(PageHtmlUrlField):
    """A page's URL worked out with the request: Wagtail then reads the sites' root paths
    once per request instead of from the cache once per listed page."""

    def to_representation(self, page):
        try:
            return page.get_full_url(self.context.get("request"))
        except NoReverseMatch:
            return None


class PublicPageSerializer(PageSerializer):
    html_url = RequestHtmlUrlField(read_only=True)


class DeepOffsetPagination(WagtailPagination):
    """Wagtail's ``offset`` and ``limit``, with the total kept for the content generation
    and a deep offset read from a bookmark (``pioneer.core.pagination.rows``): a partner
    walking 100,000 lessons a page at a time should not make each page cost more than the
    one before. A search's results are Wagtail's own slice."""

    def paginate_queryset(self, queryset, request, view=None):
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        limit_max = settings.WAGTAILAPI_LIMIT_MAX
        offset = _whole_number(request, "offset", 0)
        limit = _whole_number(request, "limit", min(20, limit_max))
        if limit > limit_max:
            raise BadRequestError(f"limit cannot be higher than {limit_max}")
        self.view = view
        self.total_count = kept_count(queryset)
        return rows(queryset, offset, offset + limit, self.total_count)


def _whole_number(request, name, default):
    value = request.GET.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", value):
        raise BadRequestError(f"{name} must be a whole number")
    return int(value)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer
    pagination_class = DeepOffsetPagination
    known_query_parameters = PagesAPIViewSet.known_query_parameters | EXTRA_PARAMETERS | {"search"}
    filter_backends = [
        backend
        for backend in PagesAPIViewSet.filter_backends
        if backend not in (SearchFilter, LocaleFilter, TranslationOfFilter)
    ] + [SiteFilter, SegmentedSearchFilter]

    @property
    def locale(self):
        language = self.request.GET.get("locale", "zh-hans")
        locale = None
        if language in LANGUAGE_CODES:
            locale = memo(
                ("api-locale", language), Locale.objects.filter(language_code=language).first
            )
        if locale is None:
            raise BadRequestError("locale must be zh-hans or en")
        return locale

    def get_base_queryset(self):
        # A page's id names it in every language: the detail view finds any public page
        # (the English listing's detail_url has no ?locale), unless ?locale narrows it.
        whole_site = self.action == "detail_view" and "locale" not in self.request.GET
        locale = False if whole_site else self.locale
        # Not the tree's root (depth 1): it is no page of the site, and it has no parent
        # for the detail view to describe (Wagtail's serializer fails on it).
        # A search leaves the expiry and alias conditions to SegmentedSearchFilter (an
        # engine has no field for them; it drops such pages from what was found), so
        # that every other condition of the listing can run in the engine.
        searching = self.action == "listing_view" and bool(
            self.request.GET.get("search", "").split()
        )
        return public_pages(Page, locale=locale, searchable=searching).filter(depth__gt=1)

    def get_queryset(self):
        # Every item names its locale: fetched with the pages, not once per item.
        return super().get_queryset().select_related("locale")

    def get_object(self):
        # Wagtail's fetches the specific page alone, then its locale and region one by one.
        page = super(PagesAPIViewSet, self).get_object()
        model = page.specific_class
        return specific_with_relations(model, page.pk) if model else page.specific

    @classmethod
    def get_available_fields(cls, model, db_fields_only=False):
        """Our own filters (region by slug, …) are not Wagtail's field filters."""
        fields = super().get_available_fields(model, db_fields_only=db_fields_only)
        if db_fields_only:
            fields = [name for name in fields if name not in EXTRA_PARAMETERS]
        return fields

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        for name in ("limit", "offset"):
            _whole_number(self.request, name, 0)


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """Only images that public pages show: a draft's pictures stay private."""

    pagination_class = DeepOffsetPagination

    def get_queryset(self):
        return public_media(self.model)


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    pagination_class = DeepOffsetPagination

    def get_queryset(self):
        return public_media(self.model)


def public_media(model):
    """``model``'s public images or documents, one query with the rule as a subquery
    (the reference index keeps ids as text: the comparison is on text)."""
    return (
        model.objects.annotate(pk_text=Cast("pk", CharField()))
        .filter(pk_text__in=public_ids(model))
        .order_by("id")
    )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
