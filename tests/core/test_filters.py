"""The shared listing filters (pioneer.core.filters): one parser per value, and how each
surface's reading (names, precedence, cleaning, strict or lenient) is applied."""

import datetime

import pytest
from django.http import QueryDict

from pioneer.core import filters
from pioneer.core.filters import BadFilter, Filters, Reading

SEARCH = Reading(
    frozenset({"type", "function", "region", "year"}), names={"function": ("category", "function")}
)
API = Reading(
    frozenset({"function", "region", "tag"}), names={"function": ("function", "category")}
)
WIDGET = Reading(
    frozenset({"function", "region", "tag"}),
    names={"function": ("category", "function")},
    strip=True,
)
BUILDER = Reading(
    frozenset({"function", "region"}),
    names={"function": ("function", "category")},
    strip=True,
    max_length=100,
    refuse_control=True,
)


def _read(query, reading, strict=False, locale=None):
    return filters.read(QueryDict(query), locale, reading, strict=strict)


# --- parsers (no database) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("2024", 2024),
        ("1950", 1950),
        ("2199", 2199),
        ("1949", None),
        ("2200", None),
        ("0000", None),
        ("２０２４", None),  # full-width digits are digits to int(), not to the rule
        ("²０２４", None),
        ("20245", None),
        ("9" * 5000, None),
        (" 2024", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_year(raw, year):
    assert filters.parse_year(raw) == year


def test_parse_function_takes_keys_only():
    assert filters.parse_function("skills") == "skills"
    assert filters.parse_function("实用技术培训") is None
    assert filters.parse_function("Skills") is None
    assert filters.parse_function("") is None


def test_parse_type_takes_registered_keys():
    assert [key for key in ("lesson", "news", "policy") if filters.parse_type(key)] == [
        "lesson",
        "news",
        "policy",
    ]
    assert filters.parse_type("page") is None
    assert filters.type_keys() == ["lesson", "news", "policy"]


def test_filters_active_counts_what_search_narrows_by():
    assert not Filters().active()
    assert not Filters(tag="rice").active()
    assert Filters(function="skills").active() and Filters(year=2024).active()


# --- readings (no database: no region given) ----------------------------------------------


def test_search_reading_category_wins_and_names_the_parameter_used():
    found, bad = _read("category=skills&function=culture&type=lesson&year=2024", SEARCH)
    assert (found.function, found.type, found.year, bad) == ("skills", "lesson", 2024, [])
    found, _bad = _read("category=&function=culture", SEARCH)
    assert found.function == "culture"
    with pytest.raises(BadFilter) as error:
        _read("category=magic&function=skills", SEARCH, strict=True)
    assert (error.value.name, error.value.filter) == ("category", "function")
    with pytest.raises(BadFilter) as error:
        _read("function=magic", SEARCH, strict=True)
    assert error.value.name == "function"


def test_strict_readings_check_type_first_then_function_then_year():
    with pytest.raises(BadFilter) as error:
        _read("year=1900&function=magic&type=page", SEARCH, strict=True)
    assert error.value.name == "type"
    with pytest.raises(BadFilter) as error:
        _read("year=1900&function=magic", SEARCH, strict=True)
    assert error.value.name == "function"


def test_lenient_readings_drop_and_name_every_bad_value():
    found, bad = _read("type=page&function=magic&year=1900", SEARCH)
    assert found == Filters() and bad == ["type", "function", "year"]


def test_api_reading_function_wins_and_the_tag_is_cut():
    found, _bad = _read("function=skills&category=culture&tag=" + "t" * 300, API)
    assert found.function == "skills" and found.tag == "t" * 100


def test_a_surface_reads_only_what_it_accepts():
    found, bad = _read("type=page&year=nope&tag=rice", API)
    assert found == Filters(tag="rice") and bad == []


def test_widget_reading_strips_after_choosing_the_parameter():
    found, _bad = _read("category=%20culture%20&function=skills&tag=%20rice%20", WIDGET)
    assert (found.function, found.tag) == ("culture", "rice")
    # A blank category is still the one chosen: the widget never looked further.
    found, _bad = _read("category=%20&function=skills", WIDGET)
    assert found.function == ""


def test_builder_reading_cuts_and_refuses_control_characters_without_a_lookup(monkeypatch):
    monkeypatch.setattr(filters, "parse_region", lambda value, locale: pytest.fail(value))
    found, bad = _read("function=" + "x" * 300 + "&region=hu%01zhou", BUILDER)
    assert found == Filters() and bad == ["function", "region"]


def test_region_lookup_goes_through_parse_region(monkeypatch):
    seen = []
    monkeypatch.setattr(filters, "parse_region", lambda value, locale: seen.append(value))
    found, bad = _read("region=%20tonglu%20", BUILDER)
    assert seen == ["tonglu"] and bad == ["region"]
    with pytest.raises(BadFilter) as error:
        _read("region=nowhere", API, strict=True)
    assert (error.value.name, error.value.reason) == ("region", "unknown")


# --- the database ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_regions_include_every_region_below_them():
    from wagtail.models import Locale

    from lessons.models import LessonPage
    from pioneer.core import content_types
    from pioneer.core.public import public_pages
    from tests.support.factories import make_lesson, region

    make_lesson("县里的测试课程", region=region("tonglu"))
    make_lesson("市里的测试课程", region=region("hangzhou"))
    make_lesson("不分地区的测试课程")  # left out by any region
    zh = Locale.objects.get(language_code="zh-hans")
    lesson = content_types.get("lesson")
    found, bad = filters.read(QueryDict("region=330000"), zh, API, strict=True)
    assert bad == [] and found.region.level == "province"
    everything = public_pages(LessonPage, locale=zh)
    narrowed = filters.narrow(everything, found, lesson)
    assert narrowed.count() == everything.exclude(region=None).count() > 0
    county = everything.exclude(region=None).filter(region__level="county").first()
    city = filters.read(QueryDict(f"region={county.region.parent.slug}"), zh, API, strict=True)[0]
    assert filters.narrow(everything, city, lesson).filter(pk=county.pk).exists()


@pytest.mark.django_db
def test_years_are_those_the_content_has():
    from wagtail.models import Locale

    from lessons.models import LessonPage
    from news.models import NewsPage, PolicyPage
    from pioneer.core.public import public_pages
    from tests.support.factories import make_lesson, make_news, make_policy

    # A different year for each kind, so each kind's years count.
    make_lesson("年份测试课程", date=datetime.date(2021, 5, 1))
    make_news("年份测试新闻", date=datetime.date(2022, 5, 1))
    make_policy("年份测试文件", issue_date=datetime.date(2019, 5, 1))
    zh = Locale.objects.get(language_code="zh-hans")
    expected = set()
    for model, field in ((LessonPage, "date"), (NewsPage, "date"), (PolicyPage, "issue_date")):
        expected.update(d.year for d in public_pages(model, locale=zh).dates(field, "year"))
    assert filters.years(zh) == sorted(expected, reverse=True)
