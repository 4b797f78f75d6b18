"""The shared listing filters (function, region, year, tag, type): how every surface reads
them from a query string and narrows its pages. Kinds come from the content-type registry;
no content app is imported here."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import Page

from pioneer.caching.generation import memo
from pioneer.core import content_types
from pioneer.core.five_functions import Function
from pioneer.core.models import Region, Topic, within_region
from pioneer.core.public import public_pages
from pioneer.core.regions import find_region

NAMES = ("type", "function", "region", "year", "tag")  # the order a strict reading checks
TAG_MAX = 100
_YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: "²" is a digit to str.isdigit()
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadFilter(ValueError):
    """A filter value a strict surface refuses; ``name`` is the parameter as the request
    spelt it (``category`` or ``function``), ``filter`` the filter it feeds."""

    def __init__(self, name, filter_name, reason="unknown"):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.filter = filter_name
        self.reason = reason


@dataclass(frozen=True)
class Filters:
    function: str = ""  # a Function value
    region: Region | None = None  # the region itself and every region below it
    year: int | None = None
    tag: str = ""  # a topic slug (the same in every language)
    type: str = ""  # a registry key

    def active(self):
        return any([self.type, self.function, self.region, self.year])


@dataclass(frozen=True)
class Reading:
    """How one surface reads its query string: which filters it takes, under which
    parameter names (the first non-empty wins), and how raw values are cleaned."""

    accept: frozenset
    names: Mapping = field(default_factory=dict)  # filter -> parameter names; default its own
    strip: bool = False  # surrounding blanks removed (widget, builder)
    max_length: int | None = None  # cut to this many characters (builder)
    refuse_control: bool = False  # a region with control characters is a bad value (builder)


# --- one parser per value ------------------------------------------------------------


def function_values():
    return Function.values


def function_choices():
    """(key, label) of the five functions, as the filter links offer them."""
    return Function.choices


def parse_function(value):
    """A function from its key, or None."""
    return value if value in function_values() else None


def parse_region(value, locale):
    """The region ``value`` names (slug, GB/T 2260 code or name) in ``locale``, or None."""
    return find_region(value, locale)


def parse_year(value):
    """A four-digit year (ASCII digits) after 1949 and before 2200, else None; int() is
    never given more than four digits."""
    value = str(value or "")
    return int(value) if _YEAR.fullmatch(value) and 1949 < int(value) < 2200 else None


def parse_type(value):
    """A registered content kind's key, or None."""
    return value if value in type_keys() else None


def type_keys():
    return [kind.key for kind in content_types.kinds()]


# --- a surface's query string ------------------------------------------------------------


def _raw(params, reading, name):
    """(parameter name, cleaned value) of filter ``name``: its first non-empty parameter,
    then stripped and cut as the reading says."""
    names = reading.names.get(name, (name,))
    spelt = next((spelt for spelt in names if params.get(spelt)), names[-1])
    value = params.get(spelt) or ""
    if reading.strip:
        value = value.strip()
    if reading.max_length is not None:
        value = value[: reading.max_length]
    return spelt, value


def read(params, locale, reading, *, strict):
    """``(Filters, [bad parameter names])`` from ``params``. Strict: the first bad value
    raises BadFilter (checked in NAMES order). Lenient: bad values are dropped and named."""
    found, bad = {}, []

    def refuse(spelt, name, reason="unknown"):
        if strict:
            raise BadFilter(spelt, name, reason)
        bad.append(spelt)

    for name in NAMES:
        if name not in reading.accept:
            continue
        spelt, value = _raw(params, reading, name)
        if not value:
            continue
        if name == "tag":
            found["tag"] = value[:TAG_MAX]
            continue
        if name == "region":
            parsed = None
            if not (reading.refuse_control and _CONTROL.search(value)):
                parsed = parse_region(value, locale)
        elif name == "function":
            parsed = parse_function(value)
        elif name == "year":
            parsed = parse_year(value)
        else:
            parsed = parse_type(value)
        if parsed is None:
            refuse(spelt, name)
        else:
            found[name] = parsed
    return Filters(**found), bad


# --- narrowing -----------------------------------------------------------------------------


def conditions(filters, kind, prefix=""):
    """The Q objects ``filters`` put on ``kind``'s pages (field names after ``prefix``, e.g.
    ``"lessonpage__"`` on a queryset of Page); None for a filter the kind cannot meet."""
    found = {}
    if filters.function:
        found["function"] = (
            Q(**{f"{prefix}{kind.function_field}": filters.function})
            if kind.function_field
            else None
        )
    if filters.region is not None:
        found["region"] = (
            within_region(filters.region, field=f"{prefix}{kind.region_field}")
            if kind.region_field
            else None
        )
    if filters.year:
        found["year"] = Q(**{f"{prefix}{kind.date_field}__year": filters.year})
    return found


def _path_from_page(model):
    """The lookup prefix from Page to ``model``'s own table (``lessonpage__``)."""
    chain = [parent for parent in reversed(model._meta.get_parent_list()) if parent is not Page]
    chain = [m for m in chain if issubclass(m, Page)] + [model]
    return "".join(f"{m._meta.model_name}__" for m in chain)


def page_condition(filters, models):
    """One condition on a queryset of Page for the function, region and year of
    ``filters`` (None when none is set): each of ``models`` that is a registered kind's
    own model meets them on its own fields, and the page passes when its model does
    (an OR across models). It stays a condition of the query: the database joins the
    kinds' tables, and an engine filters on the same fields (``FilterField``s, see
    ``pioneer.compat.ChildFieldFiltersMixin``), so no list of page ids is ever built. A
    model that cannot meet a filter (a series, which has no region) never passes."""
    if not (filters.function or filters.region is not None or filters.year):
        return None
    passing = []
    for model in models:
        kind = content_types.for_model(model)
        if kind is None:
            continue
        found = conditions(filters, kind, prefix=_path_from_page(model))
        if any(condition is None for condition in found.values()):
            continue
        combined = Q()
        for condition in found.values():
            combined &= condition
        passing.append(combined)
    if not passing:
        return Q(pk__in=[])
    condition = passing[0]
    for more in passing[1:]:
        condition |= more
    return condition


def narrow(queryset, filters, kind):
    """``queryset`` (of ``kind``'s model) narrowed by ``filters``; a filter the kind has no
    field for leaves nothing. The tag is the topic slug (``tags__slug``): the caller adds
    ``distinct()`` where its listing wants it."""
    for condition in conditions(filters, kind).values():
        queryset = queryset.filter(condition) if condition is not None else queryset.none()
    if filters.tag:
        queryset = queryset.filter(tags__slug=filters.tag)
    return queryset


def on_kinds(queryset, lookups):
    """``queryset`` (of Page, or of one kind's model) kept to the pages that meet the
    condition of their kind; ``lookups`` maps kinds to ``(lookup, value)``. A page of a
    kind not in ``lookups`` never passes (nothing at all when none of them is the
    queryset's)."""
    usable = []
    for kind, (lookup, value) in lookups.items():
        model_name = kind.get_model()._meta.model_name
        if queryset.model._meta.model_name == model_name:
            usable.append(Q(**{lookup: value}))
        elif queryset.model is Page:
            usable.append(Q(**{f"{model_name}__{lookup}": value}))
    if not usable:
        return queryset.none()
    combined = usable[0]
    for condition in usable[1:]:
        combined |= condition
    return queryset.filter(combined)


def narrow_pages(queryset, filters, *, region_kinds):
    """A queryset of Page (or of one kind) narrowed by ``filters``: the function on the
    kinds that have one, the region on ``region_kinds``, the tag on every kind (distinct)."""
    kinds = content_types.kinds()
    if filters.function:
        queryset = on_kinds(
            queryset,
            {k: (k.function_field, filters.function) for k in kinds if k.function_field},
        )
    if filters.region is not None:
        region_ids = Region.subtree(filters.region).values("pk")
        queryset = on_kinds(
            queryset, {k: (f"{k.region_field}__in", region_ids) for k in region_kinds}
        )
    if filters.tag:  # topics keep their slug in every language
        queryset = on_kinds(
            queryset, {k: ("tagged_items__tag__slug", filters.tag) for k in kinds}
        ).distinct()
    return queryset


def find_topic(slug, locale):
    """The topic of ``slug`` in ``locale``, else in any language, else None."""
    return Topic.objects.filter(slug=slug, locale=locale).first() or (
        Topic.objects.filter(slug=slug).first()
    )


# --- what a surface offers -------------------------------------------------------------------


def years_of(queryset, date_field):
    """The years ``queryset`` has pages in, newest first."""
    return [day.year for day in queryset.dates(date_field, "year", order="DESC")]


def years(locale, kinds=None):
    """Years in which ``locale`` has public pages of ``kinds`` (every registered kind by
    default), newest first: one small dates query per kind, once per process and content
    generation."""
    kinds = content_types.kinds() if kinds is None else tuple(kinds)
    key = ",".join(kind.key for kind in kinds)

    def compute():
        found = set()
        for kind in kinds:
            found.update(years_of(public_pages(kind.get_model(), locale=locale), kind.date_field))
        return sorted(found, reverse=True)

    if kinds == content_types.kinds():
        return memo(f"search:content-years:{locale.pk}", compute)
    return memo(f"filters:years:{key}:{locale.pk}", compute)


def region_choices(locale, levels=None, *, without=None):
    """The regions a surface offers: ``levels`` only, or all but the level ``without``."""
    regions = Region.objects.filter(locale=locale)
    if levels is not None:
        regions = regions.filter(level__in=levels)
    if without is not None:
        regions = regions.exclude(level=without)
    return regions
