"""The content-type registry (pioneer.core.content_types): what each content app declares
in its ``ready()``, in the order surfaces list it, and the same facts the surfaces that
still name the types themselves hold (search, the importer, the feeds' purges)."""

import pytest
from django.utils import translation

from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage
from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage
from pioneer.core import content_types


def test_keys_in_registration_order():
    # The export writes lessons, news and policies in this order (content_io.TYPES).
    assert [kind.key for kind in content_types.kinds()] == ["lesson", "news", "policy"]


def test_labels():
    with translation.override("zh-hans"):
        labels = [str(kind.label) for kind in content_types.kinds()]
    assert labels == ["课程", "新闻", "政策文件"]


def test_fields():
    lesson, news, policy = (content_types.get(key) for key in ("lesson", "news", "policy"))
    assert lesson.get_model() is LessonPage
    assert lesson.searched_models() == (LessonPage, LessonSeriesPage)
    assert lesson.index_models == ("lessons.LessonIndexPage",)
    assert (lesson.date_field, lesson.region_field, lesson.function_field) == (
        "date",
        "region",
        "function",
    )
    assert (lesson.feed, lesson.feed_by_function, lesson.in_region_feeds, lesson.in_widget) == (
        "lessons",
        True,
        True,
        True,
    )
    assert lesson.number_field is None

    assert news.get_model() is NewsPage
    assert news.searched_models() == (NewsPage,)
    assert news.index_models == ("news.NewsIndexPage",)
    assert (news.date_field, news.region_field, news.function_field) == ("date", "region", None)
    assert (news.feed, news.feed_by_function, news.in_region_feeds, news.in_widget) == (
        "news",
        False,
        True,
        False,
    )

    assert policy.get_model() is PolicyPage
    assert policy.index_models == ("news.PolicyIndexPage",)
    assert (policy.date_field, policy.region_field, policy.number_field) == (
        "issue_date",
        "region",
        "doc_number",
    )
    assert (policy.feed, policy.in_region_feeds, policy.in_widget) == ("policies", False, False)
    # Every field the registry names exists on its model.
    for kind in content_types.kinds():
        model = kind.get_model()
        for field in (kind.date_field, kind.region_field, kind.function_field, kind.number_field):
            if field:
                model._meta.get_field(field)
        for label in kind.index_models:
            assert label in {
                m._meta.label for m in (LessonIndexPage, NewsIndexPage, PolicyIndexPage)
            }


def test_lookups():
    assert content_types.for_model(LessonPage).key == "lesson"
    assert content_types.for_model(PolicyPage).key == "policy"
    assert content_types.for_model(LessonSeriesPage) is None
    assert content_types.for_model(LessonSeriesPage, searched=True).key == "lesson"
    assert content_types.for_model(LessonIndexPage) is None
    assert content_types.models() == (LessonPage, NewsPage, PolicyPage)
    assert content_types.models(searched=True) == (
        LessonPage,
        LessonSeriesPage,
        NewsPage,
        PolicyPage,
    )
    feeds = {name: [kind.key for kind in kinds] for name, kinds in content_types.feeds().items()}
    assert feeds == {
        "lessons": ["lesson"],
        "news": ["news"],
        "policies": ["policy"],
        "regions": ["lesson", "news"],
    }


def test_the_registry_states_what_the_surfaces_still_hard_code():
    from pioneer import content_io
    from search import service

    for kind in content_types.kinds():
        label, models = service.TYPES[kind.key]
        assert label == kind.label
        assert tuple(models) == kind.searched_models()
        assert content_io.TYPES[kind.key] is kind.get_model()
    assert list(content_io.TYPES) == [kind.key for kind in content_types.kinds()]
    assert list(service.TYPES) == [kind.key for kind in content_types.kinds()]


def test_registering_a_kind_again_is_harmless_and_a_clash_is_refused():
    import pytest

    lesson = content_types.get("lesson")
    content_types.register(lesson)
    assert content_types.kinds()[0] is lesson
    with pytest.raises(ValueError):
        content_types.register(content_types.ContentKind("lesson", "x", "lessons.LessonPage"))


def test_feed_entry_declarations():
    lesson, news, policy = (content_types.get(key) for key in ("lesson", "news", "policy"))
    with translation.override("zh-hans"):
        titles = [str(kind.feed_title) for kind in (lesson, news, policy)]
    assert titles == ["最新课程", "工作动态", "政策文件"]
    assert [k.author_field for k in (lesson, news, policy)] == ["producer", "source", "issuer"]
    assert [k.category_field for k in (lesson, news, policy)] == ["function", None, "doc_type"]
    assert [k.feed_enclosure for k in (lesson, news, policy)] == [True, False, False]
    assert [k.home_feed for k in (lesson, news, policy)] == [True, False, False]
    for kind in content_types.kinds():
        model = kind.get_model()
        if kind.author_field:
            model._meta.get_field(kind.author_field)
        if kind.category_field:  # a choice field: the feed shows its label
            assert model._meta.get_field(kind.category_field).choices


def test_index_lookups(db):  # an index page instance looks up its content type
    assert content_types.for_index(LessonIndexPage).key == "lesson"
    assert content_types.for_index(NewsIndexPage).key == "news"
    assert content_types.for_index(PolicyIndexPage()).key == "policy"
    assert content_types.for_index(LessonPage) is None
    assert content_types.get("news").get_index_models() == (NewsIndexPage,)


def test_where_offices_add_each_kind(db):
    from wagtail.models import Locale

    from news.models import regional_news_index

    locale = Locale.objects.get(language_code="zh-hans")
    lesson, news, policy = (content_types.get(key) for key in ("lesson", "news", "policy"))

    def pages(querysets):
        return {page.pk for queryset in querysets for page in queryset}

    all_lessons = LessonIndexPage.objects.filter(locale=locale, function="")
    functions = LessonIndexPage.objects.filter(locale=locale).exclude(function="")
    assert pages(lesson.indexes(locale=locale)) == {page.pk for page in all_lessons} != set()
    assert pages(lesson.indexes(lesson.office_sections, locale=locale)) == {
        page.pk for page in functions
    }
    assert len(functions) == 5
    libraries = {page.pk for page in PolicyIndexPage.objects.filter(locale=locale)}
    assert pages(policy.indexes(locale=locale)) == libraries != set()
    assert pages(policy.indexes(policy.office_sections, locale=locale)) == libraries
    # News: each office has its own section, found or made by the app's function.
    top = NewsIndexPage.objects.get(locale=locale, region=None)
    assert pages(news.indexes(locale=locale)) == {top.pk}
    assert news.office_sections is None and lesson.office_index is policy.office_index is None
    assert news.get_office_index() is regional_news_index


@pytest.mark.django_db
def test_every_kind_is_listed_newest_first_through_an_index():
    """Listings, the home page and the feeds ask for a kind's newest pages: its date
    field is the first column of an index, so the database reads the first few rows
    instead of sorting every page of the kind (at 100,000 lessons, 118,000 pages)."""
    from django.db import connection

    for kind in content_types.kinds():
        model = kind.get_model()
        column = model._meta.get_field(kind.date_field).column
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, model._meta.db_table)
        leading = {c["columns"][0] for c in found.values() if c["index"] and c["columns"]}
        assert column in leading, kind.key
