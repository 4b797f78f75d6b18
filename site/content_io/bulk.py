"""Tree placement and deferred writes of an import batch: what ``add_child`` and each
save would do a page at a time, done once a batch (the private internals through
``pioneer.compat``)."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page, ReferenceIndex

from pioneer import compat
from pioneer.content_io.records import TYPES


def _children(parent):
    """``parent``'s children, by path (treebeard's ``get_children`` trusts ``numchild``)."""
    return Page.objects.filter(
        depth=parent.depth + 1, path__range=compat.children_path_range(Page, parent.path)
    )


def _update_pages(pages, fields):
    """Metadata only, as save_revision's own second save (no signals): one UPDATE
    statement run for each page (``executemany``); ``bulk_update``'s CASE expressions
    cost more to build than the rows they write."""
    if not pages:
        return
    opts, quote = Page._meta, connection.ops.quote_name
    columns = [opts.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"
    rows = [
        [column.get_db_prep_save(getattr(page, column.attname), connection) for column in columns]
        + [page.pk]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class _Slugs:
    """Free slugs under each parent, as ``find_available_slug`` finds them: ``slug``, or
    ``slug-1``, ``slug-2``… if a sibling has it. Which of a batch's slugs a parent's
    children already use is read once per parent (one query, not one a page); slugs
    given out in the batch count as taken."""

    def __init__(self, wanted):
        self.wanted, self.taken = wanted, {}

    def available(self, parent, slug):
        # Unordered: ordered by path (the page model's order), SQLite walks the parent's
        # children by the path index instead of finding the slugs by theirs (24 ms for a
        # batch under a parent of 20,000 lessons).
        siblings = _children(parent).order_by()
        if parent.pk not in self.taken:
            self.taken[parent.pk] = set(
                siblings.filter(slug__in=list(self.wanted)).values_list("slug", flat=True)
            )
        taken = self.taken[parent.pk]
        if slug not in self.wanted and slug not in taken:
            if siblings.filter(slug=slug).exists():  # by the slug index
                taken.add(slug)
        if slug in taken:
            taken.update(siblings.filter(slug__startswith=slug).values_list("slug", flat=True))
        candidate, number = slug, 1
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        taken.add(candidate)
        return candidate


class _Tree:
    """Tree positions of a batch's new pages, as ``add_child`` finds them, without its
    two queries a page: each parent's last child is looked up once, and the children
    added are counted into the parent's ``numchild`` by ``flush``. Flush before anything
    else adds children (treebeard trusts ``numchild``)."""

    def __init__(self):
        self.last, self.added = {}, {}

    def place(self, page, parent):
        if parent.pk not in self.last:
            self.last[parent.pk] = (
                _children(parent).order_by("-path").values_list("path", flat=True).first()
            )
        last, depth = self.last[parent.pk], parent.depth + 1
        self.last[parent.pk] = page.path = compat.next_child_path(parent, last)
        page.depth, page.numchild = depth, 0
        compat.preset_parent(page, parent)  # Page.save derives url_path from it
        self.added[parent.pk] = self.added.get(parent.pk, 0) + 1

    def flush(self):
        for pk, count in self.added.items():
            Page.objects.filter(pk=pk).update(numchild=F("numchild") + count)
        self.last, self.added = {}, {}


class _Deferred:
    """What a batch's saves would each have done at once: search indexing, the
    reference index and audit log entries. A new page used to be saved three times on
    its way to publication (and its alias twice), each save updating the indexes;
    ``flush`` updates them once per object, from the rows as the batch leaves them, and
    writes the log entries together, all inside the batch's transaction."""

    def __init__(self, every_model=False):
        self.search = {}
        self.references = {}
        self.logs = []
        if every_model:
            from modelsearch.index import get_indexed_models

            self.models = tuple(get_indexed_models())
        else:
            self.models = tuple(TYPES.values())  # the record types' page models, read once

    def log(self, instance, action, user=None, data=None, **fields):
        """``wagtail.log_actions.log`` for a page, kept for one INSERT per batch (each
        ``log()`` validates its foreign keys with a query apiece, then inserts alone)."""
        model = log_registry.get_log_model_for_instance(instance)
        context = get_active_log_context()
        entry = model(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            label=model.objects.get_instance_title(instance),
            action=action,
            timestamp=timezone.now(),
            data=data or {},
            user=user or context.user,
            uuid=context.uuid,
            page=instance,
            **fields,
        )
        entry.clean()  # the action is registered
        self.logs.append(entry)
        return entry

    def note(self, sender, instance, raw=False, **kwargs):
        if raw:
            return
        if sender in self.models:
            self.search.setdefault(sender, set()).add(instance.pk)
        if compat.reference_tracked(sender):
            self.references.setdefault(sender, set()).add(instance.pk)

    def flush(self):
        by_model = {}
        for entry in self.logs:
            by_model.setdefault(type(entry), []).append(entry)
        for model, entries in by_model.items():
            model.objects.bulk_create(entries)
        self.search = _specific(self.search, self.models)
        self.references = _specific(self.references, None)
        self._update_references()
        self._index()
        self.search, self.references, self.logs = {}, {}, []

    def _update_references(self):
        """``update_reference_index_task`` for each object saved in the batch, in bulk.

        A saved child object (a page's tag link) counts as a save of its parent, whose
        references include its children's, as in the task."""
        pending, roots = self.references, {}
        while pending:
            parents = {}
            for model, pks in pending.items():
                keys = [f for f in model._meta.get_fields() if isinstance(f, ParentalKey)]
                if not keys:
                    if ReferenceIndex.is_indexed(model):
                        roots.setdefault(model, set()).update(pks)
                    continue
                ids = model._default_manager.filter(pk__in=list(pks))
                for parent_id in ids.values_list(keys[0].attname, flat=True):
                    if parent_id is not None:
                        parents.setdefault(keys[0].related_model, set()).add(parent_id)
            pending = parents
        for model, pks in roots.items():
            _update_reference_index(model, pks)

    def _index(self):
        """Index the noted pages, one query and one bulk call per model and backend."""
        from wagtail.search.backends import get_search_backends

        for backend in get_search_backends(with_auto_update=True):
            for model, pks in self.search.items():
                pages = list(model.get_indexed_objects().filter(pk__in=list(pks)))
                try:
                    backend.add_bulk(model, pages)
                except Exception:
                    if not backend.catch_indexing_errors:
                        raise
                    for page in pages:  # an engine down: record each, replayed on recovery
                        if hasattr(backend, "record_pending"):
                            backend.record_pending(page, "add", "engine unavailable during import")


def _specific(noted, models):
    """``noted`` ({model: pks}) with each page under its own type (a page saved as a
    plain Page is indexed as its type is, as each save's handler would do), kept to
    ``models`` (None: all)."""
    found, page_pks = {}, set()
    for model, pks in noted.items():
        if model is Page:
            page_pks |= pks
        else:
            found.setdefault(model, set()).update(pks)
    rows = Page.objects.filter(pk__in=list(page_pks)).values_list("content_type_id", "pk")
    for content_type_id, pk in rows if page_pks else ():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and (models is None or model in models):
            found.setdefault(model, set()).add(pk)
    return found


def _update_reference_index(model, pks):
    """``ReferenceIndex.create_or_update_for_object`` for many objects of one model:
    the objects with their child objects, and the references already recorded, are read
    with a few queries; new references are written with one insert, stale ones deleted
    with one delete (the per-object version takes four queries or more an object)."""
    queryset = model._default_manager.filter(pk__in=list(pks))
    if issubclass(model, ClusterableModel):
        relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
        queryset = queryset.prefetch_related(*relations)
    content_types = [
        ContentType.objects.get_for_model(m, for_concrete_model=False)
        for m in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known_content_types = {ct.id for ct in content_types}
    objects = list(queryset)
    recorded = {}
    rows = ReferenceIndex.objects.filter(
        base_content_type=base_content_type, object_id__in=[str(obj.pk) for obj in objects]
    ).values_list(
        "object_id", "id", "content_type_id", "to_content_type", "to_object_id",
        "model_path", "content_path",
    )  # fmt: skip
    for object_id, pk, content_type_id, *reference in rows:
        recorded.setdefault(object_id, {})[tuple(reference)] = (content_type_id, pk)
    new, stale = [], []
    for obj in objects:
        references = set(compat.references_of(obj))
        existing = recorded.get(str(obj.pk), {})
        new += [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=obj.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=compat.content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
            if (to_content_type_id, to_object_id, model_path, content_path) not in existing
        ]
        # As in the library: a record under a more specific model is not this one's.
        stale += [
            pk
            for reference, (content_type_id, pk) in existing.items()
            if reference not in references and content_type_id in known_content_types
        ]
    ReferenceIndex.objects.bulk_create(
        new, ignore_conflicts=connection.features.supports_ignore_conflicts
    )
    if stale:
        ReferenceIndex.objects.filter(id__in=stale).delete()


_active = []  # the deferral open in this process, if any


@contextmanager
def deferred_indexing(every_model=False):
    """Within a batch, note the objects saved instead of indexing each save; the
    caller's ``flush()`` indexes them, inside the batch's transaction.

    With ``every_model`` (a site's set-up or its demo: a thousand saves of pages,
    snippets and regions), every indexed model's saves are noted. Inside an open
    deferral, the open one is used: its ``flush()`` (the importer's, after each batch)
    indexes everything noted so far, and the outermost caller flushes the rest."""
    from django.db.models.signals import post_save

    if _active:
        yield _active[0]
        return
    deferred = _Deferred(every_model)
    with compat.search_and_references_paused(list(deferred.models)):
        post_save.connect(deferred.note, weak=False, dispatch_uid="pioneer-import-deferred")
        _active.append(deferred)
        try:
            yield deferred
        finally:
            _active.clear()
            post_save.disconnect(dispatch_uid="pioneer-import-deferred")


@contextmanager
def indexed_once():
    """A block of many saves (``setup_site``, ``load_demo``) indexed for search and
    references once at its end, in bulk, instead of once a save; what it saved is
    indexed even when it stops with an error (the rows written are kept)."""
    with deferred_indexing(every_model=True) as deferred:
        try:
            yield deferred
        finally:
            deferred.flush()
