"""Search fields that index segmented words (see ``pioneer.core.text.segmentation``).

The fields keep their names (``title`` stays ``title``, so backends still weigh titles
above bodies); only the values they hand to the backend change: space-separated words,
the same words on SQLite, PostgreSQL, OpenSearch and Elasticsearch.
"""

import functools

from wagtail.models import Page
from wagtail.search import index

from pioneer.core.text.segmentation import index_text, index_words, pinyin_initials


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(_as_text(item) for item in value)
    return str(value)


class SegmentedSearchField(index.SearchField):
    def get_value(self, obj):
        return _index_text(_as_text(super().get_value(obj)), not _engine_splits_words())


# Backends ask for every field's value once per index column (Wagtail's database
# backends: title, body and autocomplete), each backend (the engine and the database)
# asks again, and a page's English alias has the same texts: the texts of an import's
# batch (200 pages and their aliases) are kept, so each is segmented once. Segmentation
# depends only on the text (the dictionary is fixed), so a cached value is never stale.
# A lesson's texts are a few KB: about 10 MB at most.
TEXTS_KEPT = 1024


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _index_text(text, segment):
    return index_text(text, segment=segment)


@functools.lru_cache(maxsize=TEXTS_KEPT)
def _autocomplete_text(title):
    words = index_words(title)
    initials = pinyin_initials(title)
    return " ".join(words + ([initials] if initials else []))


def _engine_splits_words():
    """True when an engine's CJK analyzer, not our segmentation, makes the words."""
    from django.conf import settings

    return getattr(settings, "SEARCH_ANALYZER", "segmented") == "cjk" and bool(
        getattr(settings, "SEARCH_URL", "")
    )


class TitleAutocompleteField(index.AutocompleteField):
    """Title words and pinyin initials, for prefix search: 水稻 → 水稻种植…, sdzz → 水稻种植."""

    def __init__(self, field_name="title", **kwargs):
        super().__init__(field_name, **kwargs)

    def get_value(self, obj):
        return _autocomplete_text(_as_text(super().get_value(obj)))


class AliasesNotIndexed:
    """Page models whose aliases are left out of the search index. An alias repeats its
    page's words in another language's tree (a page nobody has translated yet), and
    every search drops it from what it shows (``pioneer.core.public.hidden_from_search``):
    indexed, it doubled the index, an import's indexing work, and the candidates an
    English search had to read past. A translation (no longer an alias) is indexed as it
    is saved."""

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(alias_of__isnull=True)


def page_search_fields(*fields):
    """Page's own filter fields, a segmented title, and the model's own fields."""
    inherited = [
        field
        for field in Page.search_fields
        if not (
            isinstance(field, (index.SearchField, index.AutocompleteField))
            and field.field_name == "title"
        )
    ]
    return [
        *inherited,
        SegmentedSearchField("title", boost=4),
        TitleAutocompleteField("title"),
        *fields,
    ]
