"""The content-type registry: each content app declares its page types once (label, model,
fields, feeds, widget) in its ``ready()``; surfaces spanning every type read it instead of
importing the apps. Models are named by label and resolved on first use."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise


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
    importer: str | None = None  # dotted path of the app's import spec (none yet)

    def get_model(self):
        return apps.get_model(self.model)

    def searched_models(self):
        return (self.get_model(), *(apps.get_model(label) for label in self.also_searched))


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
        found["regions"] = regional
    return {name: tuple(listed) for name, listed in found.items()}
