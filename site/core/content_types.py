"""The content-type registry: each content app declares its page types once (label, model,
fields, indexes, feeds, widget, where offices edit them) in its ``ready()``; surfaces
spanning every type read it instead of importing the apps. Models are named by label and
functions by dotted path, resolved on first use."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ContentKind:
    key: str  # "lesson" | "news" | "policy": the import `type`, the search `type`
    label: Promise | str  # the search filter's label
    model: str  # "lessons.LessonPage"
    also_searched: tuple[str, ...] = ()  # found under the same search type (a lesson series)
    index_models: tuple[str, ...] = ()  # indexes whose pages advertise this kind's feeds
    date_field: str = "date"  # ordering, the year filter, feed dates, the years offered
    region_field: str | None = "region"
    function_field: str | None = None  # the five functions (lessons)
    number_field: str | None = None  # a document number searched exactly (policies)
    feed: str | None = None  # /feeds/<locale>/<feed>/
    feed_by_function: bool = False  # /feeds/<locale>/<feed>/<function>/
    in_region_feeds: bool = False  # /feeds/<locale>/regions/<slug>/ (and the API's region)
    in_widget: bool = False  # the partners' embed widget lists it
    importer: str | None = None  # dotted path of its ``RecordType`` (the bulk importer's)
    # Its feed entries: the feed's title, the author and category fields (a choice field,
    # shown by its label), its first video or audio as an enclosure (podcast-style).
    feed_title: Promise | str | None = None
    author_field: str | None = None
    category_field: str | None = None
    feed_enclosure: bool = False
    home_feed: bool = False  # the home page advertises this kind's feed
    # Lookups on ``index_models``: the top index(es), holding the kind's review workflow
    # (the all-lessons index, the news without a region, the policy library); and where
    # city and county offices add it, either sections of the province's tree
    # (``office_sections``, reviewed county > city > province) or each office's own index
    # (``office_index``: dotted path of (region, top index) -> that index, created when
    # missing; reviewed by the city).
    top_index: Q = Q()
    office_sections: Q | None = None
    office_index: str | None = None

    def get_model(self):
        return apps.get_model(self.model)

    def get_index_models(self):
        return tuple(apps.get_model(label) for label in self.index_models)

    def indexes(self, lookup=None, **filters):
        """The kind's index pages (of each index model in turn) that ``lookup`` (a Q, the
        top index by default) and ``filters`` select: a list of querysets, one a model."""
        lookup = self.top_index if lookup is None else lookup
        return [model.objects.filter(lookup, **filters) for model in self.get_index_models()]

    def get_office_index(self):
        return import_string(self.office_index) if self.office_index else None

    def searched_models(self):
        return (self.get_model(), *(apps.get_model(label) for label in self.also_searched))


class RecordType:
    """What the bulk importer and exporter (``pioneer.content_io``) need of one record
    ``type``: its model, how its own fields are cleaned, checked against the rest of the
    file, placed, written and exported. A content app subclasses it in its ``records``
    module, which a kind's ``importer`` names (loaded on first use, as the models are)."""

    key = ""  # the record's ``type``
    model = ""  # "lessons.LessonPage"
    exported = True  # written by the export (a series is read only)
    also = ()  # further record types the app's records bring (lessons: series)
    blocks = ("paragraph", "quote", "attachment")  # the ``blocks`` a record may carry
    media_blocks = False  # its video and audio files play in the page (else downloads)
    update_note = None  # the change note of an update when the record gives none
    custom_write = False  # written by ``write`` (and found by ``find_page``), not in bulk

    def get_model(self):
        return apps.get_model(self.model)

    def clean(self, data, clean, errors):
        """Add the type's own fields of ``data`` to ``clean``; each bad one to ``errors``."""

    def clean_files(self, clean, errors):
        """Check the files ``clean`` names (its ``files``: role, path, title)."""

    def check(self, importer, record, seen_ids, seen):
        """Whole-file checks of a cleaned ``record`` (its errors added to its ``errors``):
        ``seen_ids`` maps (type, id) of the records read so far to their lines, ``seen`` is
        the type's own state across the file."""

    def parent_key(self, clean):
        """What the parent index is looked up by (once per import)."""
        return (self.key,)

    def find_parent(self, importer, clean):
        raise NotImplementedError

    def fields(self, importer, clean, image):
        """The page's own field values besides title, summary and body."""
        return {}

    def export(self, page, row):
        """Add the page's own fields to its export ``row``."""


REGIONS = "regions"  # the feed of a region: the kinds ``in_region_feeds``
_kinds = {}  # key -> ContentKind, in registration order (INSTALLED_APPS, then declaration)


def register(*kinds):
    """Declare ``kinds`` (from a content app's ``ready()``); declaring one again is a no-op,
    another kind under a taken key an error."""
    for kind in kinds:
        known = _kinds.get(kind.key)
        if known is not None and known != kind:
            raise ValueError(f"content kind {kind.key!r} is already registered")
        _kinds[kind.key] = kind


def kinds():
    return tuple(_kinds.values())


def get(key):
    """The kind registered under ``key``; KeyError when there is none (the caller's 400/404)."""
    return _kinds[key]


def for_model(model_or_page, searched=False):
    """The kind whose model ``model_or_page`` is (its specific class), or None; with
    ``searched``, also the kind it is found under in search (a series: lessons)."""
    model = model_or_page if isinstance(model_or_page, type) else type(model_or_page)
    label = model._meta.label
    for kind in _kinds.values():
        if label == kind.model or (searched and label in kind.also_searched):
            return kind
    return None


def for_index(model_or_page):
    """The kind whose index model ``model_or_page`` is (its specific class), or None."""
    model = model_or_page if isinstance(model_or_page, type) else type(model_or_page)
    label = model._meta.label
    for kind in _kinds.values():
        if label in kind.index_models:
            return kind
    return None


def models(of=None, searched=False):
    """The models of ``of`` (kinds; every registered one by default), with the models found
    under them in search when ``searched``."""
    found = []
    for kind in kinds() if of is None else of:
        found += kind.searched_models() if searched else [kind.get_model()]
    return tuple(found)


def feeds():
    """Feed name -> the kinds it lists: each kind's own feed, and "regions" for the kinds
    the regions' feeds list."""
    found = {}
    for kind in _kinds.values():
        if kind.feed:
            found.setdefault(kind.feed, []).append(kind)
    regional = [kind for kind in _kinds.values() if kind.in_region_feeds]
    if regional:
        found[REGIONS] = regional
    return {name: tuple(listed) for name, listed in found.items()}
