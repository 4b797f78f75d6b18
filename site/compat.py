"""Every private Wagtail, treebeard, modelcluster, Django and django-tasks internal the
site uses, and every patch it makes to them: one place to re-read on each upgrade.

Each function says why nothing public does, where it is called and what upstream code it
mirrors (file:line in the version of ``CHECKED``). The bottom layer: imports no first-party
module. ``tests/site/test_compat_fence.py`` fails when a private touch appears elsewhere.

Also re-read on each upgrade (public, but re-implemented or used the way the library's own
views use them; no wrapper here):
- the bulk importer (``pioneer.content_io``) writes what ``add_child``, ``save_revision``,
  ``publish`` (signals ``page_published``/``published``), ``CreatePageAliasAction`` and
  ``log_actions.log`` write, in bulk: wagtail/actions/{publish_revision,create_alias}.py,
  wagtail/models/pages.py ``save_revision``, wagtail/log_actions.py; so does
  ``news.models.regional_news_index`` for one new section (live at once, its first
  revision the live one, ``page_published`` sent: publish_revision.py);
- ``log_registry.get_log_model_for_instance``, ``get_active_log_context``,
  ``model.objects.get_instance_title`` (content_io.bulk's ``_Deferred.log``);
- wagtail-localize's ``TranslationSource.update_or_create_from_instance``,
  ``Translation.export_po``/``import_po``/``save_target`` (site/demo/english.py) and
  ``LocaleSynchronization`` (site_setup.py, content_io/importer.py);
- ``PurgeBatch(cache_object=...)`` and ``batch.urls`` (frontend_cache.py);
- ``modelsearch.utils.get_descendants_content_types_pks`` (search/sqlite_fts.py);
- ``PagesAPIViewSet.get_object`` skipped through ``super(PagesAPIViewSet, self)`` (api.py);
- ``wagtail.documents.views.serve.serve`` re-implemented with the privacy rule
  (media_privacy.py: sends ``document_served`` itself);
- Wagtail admin's Stimulus controllers ``w-slug``/``w-sync``, their events
  ``w-sync:check``/``w-sync:apply`` and ``data-w-slug-allow-unicode-value`` (slugs.py,
  static/pioneer/admin/pinyin-slug.js; tests/core/test_browser_pinyin_slug.py guards them);
- the overridden msgids of site/locale/overrides (tests/editorial/test_admin_in_chinese.py);
- treebeard's ``Page._str2int``/``_int2str`` in bench/search_scale.py, bench/scale.py and
  bench/sitemap_scale.py, which write page rows directly (bench only; the bench's file
  metadata goes through ``set_file_metadata``).
"""

import copy
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version

from django.core import checks

# The versions this module was written and checked against (distribution name: version).
CHECKED = {
    "wagtail": "8.0.1",
    "django-treebeard": "5.3.1",
    "django-modelcluster": "6.5",
    "wagtail-localize": "1.14.5",
    "modelsearch": "1.3.2",
    "Django": "5.2",
    "django-tasks": "0.12",
    "django-tasks-db": "0.13",
}


def _major_minor(text):
    return tuple(text.split(".")[:2])


@checks.register()
def installed_versions_are_checked(app_configs=None, **kwargs):
    """pioneer.W101: a library whose major.minor differs from ``CHECKED`` may have moved
    or changed an internal used here: re-read this module, then update ``CHECKED``."""
    warnings = []
    for distribution, checked in CHECKED.items():
        try:
            installed = version(distribution)
        except PackageNotFoundError:
            installed = "not installed"
        if _major_minor(installed) != _major_minor(checked):
            warnings.append(
                checks.Warning(
                    f"{distribution} {installed} is installed; pioneer.compat was written "
                    f"for {checked}.",
                    hint="Re-read site/compat.py against the installed version, then "
                    "update its CHECKED.",
                    id="pioneer.W101",
                )
            )
    return warnings


# --- The bulk importer (pioneer.content_io): tree placement and deferred writes ---------

# What CreatePageAliasAction leaves out of an alias (aliases have no revisions):
# wagtail/actions/create_alias.py:129-139.
ALIAS_EXCLUDED_FIELDS = [
    "id", "path", "depth", "numchild", "url_path", "index_entries", "postgres_index_entries",
    "latest_revision",
]  # fmt: skip


def alias_fields(page):
    """The field values an alias of ``page`` starts from, as ``CreatePageAliasAction``
    copies them (wagtail/models/copying.py:7 ``_extract_field_data``). The action itself
    saves, logs and signals one page at a time; the importer writes a batch at once."""
    from wagtail.models.copying import _extract_field_data

    return _extract_field_data(page, exclude_fields=ALIAS_EXCLUDED_FIELDS)


def copy_m2m(page, alias):
    """The alias's many-to-many values, as ``CreatePageAliasAction`` copies them
    (wagtail/models/copying.py:59 ``_copy_m2m_relations``); same reason as ``alias_fields``."""
    from wagtail.models.copying import _copy_m2m_relations

    _copy_m2m_relations(page, alias, exclude_fields=ALIAS_EXCLUDED_FIELDS)


def children_path_range(model, path):
    """The (first, last) paths of the children of the node at ``path`` (treebeard
    mp_tree.py:1036). The importer reads children by path because ``get_children`` trusts
    ``numchild``, which the importer updates once per batch."""
    return model._get_children_path_interval(path)


def next_child_path(parent, last_child_path):
    """The path of a new last child of ``parent``, after ``last_child_path`` (None: the
    first child): what ``add_child`` computes (treebeard mp_tree.py:1004 ``_get_path``,
    :1016 ``_inc_path``), without its two queries a page."""
    model = type(parent)
    if last_child_path is None:
        return model._get_path(parent.path, parent.depth + 1, 1)
    return model(path=last_child_path)._inc_path()


def preset_parent(page, parent):
    """Hand ``page`` its parent so that ``get_parent()`` (and ``Page.save``'s url_path,
    wagtail/models/pages.py:714) needs no query: treebeard's ``_cached_parent_obj``
    (mp_tree.py:976-983), which Wagtail sets the same way (pages.py:977-979). Used by the
    importer's tree placement and by the home page's router."""
    page._cached_parent_obj = parent


def mark_not_site_root(page):
    """Tell ``Page.save`` a new page under an index is no site's root, so it does not ask
    the database (``_is_site_root``, wagtail/models/pages.py:762-765; the public
    ``annotate_site_root_state`` only covers rows read from the database)."""
    page._is_site_root = False


def drop_unsaved_children(instance, relation):
    """Forget the unsaved child objects of ``relation`` (modelcluster fields.py:43-53,
    ``_cluster_related_objects``): after ``page.tags.add()`` has resolved topic names, the
    importer writes the links with the batch's own INSERT. Nothing public resolves tag
    names without linking them."""
    instance._cluster_related_objects.pop(relation)


def set_file_metadata(file_object):
    """Fill a new image's or document's ``file_size`` and ``file_hash`` before its save,
    as Wagtail's upload forms do (wagtail/images/models.py:321
    ``_set_image_file_metadata``, documents/models.py:143 ``_set_document_file_metadata``).
    The public ``get_file_size()``/``get_file_hash()`` would save again afterwards."""
    if hasattr(file_object, "_set_image_file_metadata"):
        file_object._set_image_file_metadata()
    else:
        file_object._set_document_file_metadata()


def references_of(obj):
    """The (to_content_type_id, to_object_id, model_path, content_path) references of
    ``obj`` (wagtail/models/reference_index.py:329 ``_extract_references_from_object``).
    The public ``create_or_update_for_object`` takes four queries or more per object;
    the importer updates a batch's references in a few."""
    from wagtail.models import ReferenceIndex

    return ReferenceIndex._extract_references_from_object(obj)


def content_path_hash(content_path):
    """The hash stored with a reference (reference_index.py:436 ``_get_content_path_hash``);
    same reason as ``references_of``."""
    from wagtail.models import ReferenceIndex

    return ReferenceIndex._get_content_path_hash(content_path)


def reference_tracked(model):
    """Whether saving ``model`` updates the reference index (``ReferenceIndex.tracked_models``,
    reference_index.py:192, filled by Wagtail's signal handlers; undocumented). The public
    ``is_indexed`` covers indexed models only, not their child models."""
    from wagtail.models import ReferenceIndex

    return model in ReferenceIndex.tracked_models


@contextmanager
def search_and_references_paused(models):
    """Within the block, saves of ``models`` neither index for search nor update the
    reference index: the importer does both once a batch. Disconnects modelsearch's
    ``post_save_signal_handler`` (modelsearch/signal_handlers.py:7) for those models and
    enters Wagtail's ``disable_reference_index_auto_update`` (wagtail/signal_handlers.py:52,
    undocumented); settings' ``AUTO_UPDATE`` is global, not per block."""
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    # Blocks nest (a site's set-up around the importer's batches): a model's handler is
    # connected again, and the reference index's flag cleared (Wagtail's block deletes
    # it on exit), only when the outermost block that paused them ends.
    paused = [model for model in models if _PAUSED.get(model, 0) == 0]
    for model in models:
        _PAUSED[model] = _PAUSED.get(model, 0) + 1
    for model in paused:
        post_save.disconnect(post_save_signal_handler, sender=model)
    outermost = _PAUSED_REFERENCES[0] == 0
    _PAUSED_REFERENCES[0] += 1
    try:
        if outermost:
            with disable_reference_index_auto_update():
                yield
        else:
            yield
    finally:
        _PAUSED_REFERENCES[0] -= 1
        for model in models:
            _PAUSED[model] -= 1
        for model in models:
            if _PAUSED[model] == 0 and model in paused:
                post_save.connect(post_save_signal_handler, sender=model)


_PAUSED = {}  # model -> how many open blocks pause its indexing
_PAUSED_REFERENCES = [0]  # open blocks


# --- Wagtail's admin: the refused POST, the review notifier, labels, template copies ----


def replace_admin_permission_denied(make_view):
    """Replace ``wagtail.admin.auth.permission_denied`` (wagtail/admin/auth.py:16) with
    ``make_view(wagtail_view)``. Wagtail's admin views look it up at call time
    (auth.py:44, :145), so this covers them all; there is no hook for the admin's
    permission-denied answer in 8.0. Idempotent: a second call keeps the first replacement.
    Called by ``pioneer.editorial.permissions.refuse_denied_changes_with_403`` from ``ready()``.
    """
    from wagtail.admin import auth

    if getattr(auth.permission_denied, "pioneer_replacement", False):
        return
    view = make_view(auth.permission_denied)
    view.pioneer_replacement = True
    auth.permission_denied = view


# Wagtail connects its group-approval "task submitted" mail under this uid
# (wagtail/admin/signal_handlers.py:22-26, in wagtail.admin's ready()).
WAGTAIL_TASK_SUBMITTED_UID = "group_approval_task_submitted_email_notification"


def take_over_task_submitted_mail(notifier):
    """Make ``notifier`` the only receiver of ``task_submitted`` for ``TaskState``, in
    place of Wagtail's group-approval mail (nothing public replaces a Wagtail notifier).

    Wagtail's receiver is disconnected if it is already connected (wagtail.admin readied
    first), then ``notifier`` is connected under Wagtail's ``dispatch_uid``: if
    wagtail.admin is readied later, Django ignores its second receiver under the same uid
    and sender. Either app order leaves exactly one notifier, this one.
    """
    from wagtail.models import TaskState
    from wagtail.signals import task_submitted

    task_submitted.disconnect(sender=TaskState, dispatch_uid=WAGTAIL_TASK_SUBMITTED_UID)
    task_submitted.connect(notifier, sender=TaskState, dispatch_uid=WAGTAIL_TASK_SUBMITTED_UID)


def relabel_site_columns(label_of):
    """Relabel columns of Wagtail's sites listing (wagtail/sites/views.py ``IndexView.columns``,
    labelled from attribute names, so untranslatable): ``label_of`` maps a column name to
    its label. Mutates Wagtail's class attribute once, at import of the admin hooks."""
    from wagtail.sites.views import IndexView

    for column in IndexView.columns:
        if column.name in label_of:
            column.label = label_of[column.name]


def relabel_page_choosers(label):
    """Label the page choosers of the workflow form and the group editor's page
    permissions (``base_fields["page"]``, labelled "Page" from the field name, read by
    screen readers): wagtail/admin/forms/workflows.py ``WorkflowPageForm``,
    wagtail/users/forms.py ``PagePermissionsForm``. Mutates Wagtail's form classes."""
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.users.forms import PagePermissionsForm

    for form in (WorkflowPageForm, PagePermissionsForm):
        form.base_fields["page"].label = label


def relabel_search_promotion_form(label_of):
    """Label fields of Wagtail's recommended-result form (wagtail/contrib/search_promotions/
    forms.py ``SearchPromotionForm``, and the form class ``inlineformset_factory`` made from
    it for ``SearchPromotionsFormSet``, which the add and edit views render):
    ``external_link_text`` has no verbose_name on its model, so its label ("External link
    text") comes from the field name and no catalogue can translate it. ``label_of`` maps a
    field name to its label. Mutates the two form classes."""
    from wagtail.contrib.search_promotions.forms import (
        SearchPromotionForm,
        SearchPromotionsFormSet,
    )

    for form in (SearchPromotionForm, SearchPromotionsFormSet.form):
        for name, label in label_of.items():
            form.base_fields[name].label = label


# Library templates copied into site/templates to translate them: (template name, the
# package whose templates/ folder holds the original, its sha256 in the checked version).
# tests/site/test_compat.py fails when the installed original changes: merge the change in.
TEMPLATE_COPIES = [
    (
        "wagtailadmin/shared/headers/_actions.html",
        "wagtail.admin",
        "facea723b6b917627f718d47a945c79fabcb1cbc516983c66cb6801b6a9a1557",
    ),
    (
        "wagtailadmin/tables/boolean_cell.html",
        "wagtail.admin",
        "f52d1f7945b2b176e1921c5014774ceddd883008e0be68a4e3e964cb73e52619",
    ),
    (
        "wagtailusers/groups/includes/formatted_permissions.html",
        "wagtail.users",
        "2ab61ce5aa2bbeba8ae9826a789727a00f8a269e1deed6620348e4a9a621ebb4",
    ),
    (
        "wagtaillocales/index.html",
        "wagtail_localize.locales",
        "a7fb4f60c524d2e9b9a26a2e1e96fa583e168eee3561c0354bf81a4a904cc84f",
    ),
]


# --- Django, search engines and the task worker -----------------------------------------


def prime_request_site(request, site):
    """Hand Wagtail the request's site, so that ``Site.find_for_request`` does not look it
    up (it reads and caches ``request._wagtail_site``, wagtail/models/sites.py:170-173;
    nothing public sets it). Called by ``content_cache.prime_site`` with the site this
    process already knows for the current content generation."""
    request._wagtail_site = site


class TotalHitsSearchMixin:
    """Search results that keep the total the engine reports with the hits, so a count
    costs no second request (Wagtail's results ask the engine's count API). Overrides
    modelsearch's ``_backend_do_search`` (modelsearch/backends/elasticsearchbase.py:963;
    elasticsearch8.py:60) to add ``track_total_hits``; no public option does. Mixed into
    each engine's results class by ``search.backends``."""

    total_hits = None

    def _backend_do_search(self, body, **kwargs):
        response = super()._backend_do_search(body, track_total_hits=True, **kwargs)
        total = response.get("hits", {}).get("total")
        self.total_hits = total.get("value") if isinstance(total, dict) else total
        return response


class ChildFieldFiltersMixin:
    """An engine query on Page that filters on a page type's own fields.

    The search's filters (function, region, year: ``pioneer.core.filters.page_condition``)
    are conditions on the kinds' tables, ``Page.objects.filter(lessonpage__function=…)``.
    The engines index those fields already (each kind's ``FilterField``s, in Page's index
    under the kind's prefix), but modelsearch looks a filtered column up in the searched
    model's own ``search_fields`` only and refuses the rest (``FilterFieldError``), which
    left a list of page ids as the one way to filter: an engine refuses a ``terms`` list
    past ``index.max_terms_count`` (65,536), so a province-wide filter over 100,000 pages
    failed. This override of ``_process_filter`` (modelsearch/backends/base.py:234, used by
    ``check()`` and by the engines' ``_get_filters_from_queryset``) finds a column defined
    on a subclass of the searched model in that subclass's ``FilterField``s and names it
    with that subclass's mapping (elasticsearchbase.py:97 ``get_field_column_name``: the
    ``<app>_<model>__`` prefix); ``_process_lookup`` (elasticsearchbase.py:543) then
    builds the clause as for any field. Mixed into each engine's query compilers by
    ``search.backends``."""

    def _process_filter(self, column, lookup, value, check_only=False):
        from modelsearch.backends.base import FilterFieldError
        from modelsearch.index import FilterField

        searched = self.queryset.model
        owner = column.target.model
        if owner is searched or not issubclass(owner, searched):
            return super()._process_filter(column, lookup, value, check_only=check_only)
        attname = column.target.attname
        for field in owner.get_search_fields():
            if isinstance(field, FilterField) and field.get_attname(owner) == attname:
                break
        else:
            raise FilterFieldError(
                f'Cannot filter search results with field "{attname}": '
                f"{owner.__name__} indexes no FilterField for it.",
                field_name=attname,
            )
        if check_only:
            return None
        return self._process_lookup([field], lookup, value, mapping=self.mapping_class(owner))


class WeighNewRowsMixin:
    """PostgreSQL's and SQLite's database search index, weighing only the rows it just wrote.

    Wagtail's ``PostgresIndex.add_items`` (modelsearch/backends/database/postgres/
    postgres.py:371) and ``SQLiteIndex.add_items`` (sqlite/sqlite.py:214) end with
    ``_refresh_title_norms()`` (postgres.py:323-352, sqlite.py:166-195): an average over the
    whole index table and an update of every row still at the default weight, two full
    scans after each batch, so a publish or an import batch cost grew with the site. This
    override keeps ``add_items``'s batch while it runs and, unless ``full`` (the
    rebuilder's ``update_index``), reads the average at most every ``AVERAGE_SECONDS`` in
    a process and weighs the batch's rows only, found through the (content type, object
    id) unique index ``add_items`` writes by. No public hook does this. Mixed into the
    index class by ``search.database``."""

    AVERAGE_SECONDS = 600
    average_read = (None, 0.0)  # (average title length in words, when it was read)
    just_added = None

    def add_items(self, model, items):
        self.just_added = (model, items)
        try:
            return super().add_items(model, items)
        finally:
            self.just_added = None

    def _refresh_title_norms(self, full=False):
        import time

        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Avg, F
        from django.db.models.functions import Length

        model, items = self.just_added or (None, None)
        if full or not items:
            WeighNewRowsMixin.average_read = (None, 0.0)
            return super()._refresh_title_norms(full=full)
        average, read_at = WeighNewRowsMixin.average_read
        if average is None or time.monotonic() - read_at > self.AVERAGE_SECONDS:
            average = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            WeighNewRowsMixin.average_read = (average, time.monotonic())
        if not average:
            return None
        written = ContentType.objects.get_for_model(model).pk  # as add_items wrote them
        ids = [str(item.pk) for item in items]
        (
            self.entries.filter(content_type_id=written, object_id__in=ids)
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .update(title_norm=average / F("title_length"))
        )
        return None


# The private schema of Wagtail's SQLite search backend (wagtail/search/models.py:46 and
# migrations/0006: the FTS5 table and the entries it indexes by rowid), read by
# ``search.sqlite_fts`` to rank matches with one bm25 pass instead of a correlated query
# per match. No public API ranks this way.
SQLITE_FTS_TABLE = "wagtailsearch_indexentry_fts"
SQLITE_INDEX_ENTRY_TABLE = "wagtailsearch_indexentry"


def redis_client(cache, write=True):
    """The redis-py client behind Django's ``RedisCache`` ``cache`` (None for any other
    backend): ``cache._cache.get_client`` (django/core/cache/backends/redis.py
    ``RedisCacheClient.get_client``). Needed for ``ping()`` (/healthz) and the noted-answers
    sorted set (ZADD/ZRANGE), which the cache API does not offer."""
    get_client = getattr(getattr(cache, "_cache", None), "get_client", None)
    return get_client(write=write) if get_client else None


def mark_response_logged(response):
    """Tell Django's request logging that ``response`` was logged already
    (``_has_been_logged``, read by ``django.utils.log.log_response``): the outage page logs
    one line per request instead of a traceback per request."""
    response._has_been_logged = True


def run_db_worker(command, worker_class, options):
    """django-tasks-db's ``db_worker`` command body, with ``worker_class`` as its worker
    (django_tasks_db/management/commands/db_worker.py:328-376, 0.13; the command builds its
    ``Worker`` inside ``handle`` with no hook for another class). Unlike upstream, ``--reload``
    with ``--batch`` runs without the reloader and without upstream's warning, as before."""
    import os

    from django.core.management.base import CommandError
    from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

    command.configure_logging(options["verbosity"])
    queue_names = options["queue_name"].split(",")
    excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
    if excluded and "*" not in queue_names:
        raise CommandError("--exclude-queues can only be used with --queue-name=*")
    worker = worker_class(
        queue_names=queue_names,
        interval=options["interval"],
        batch=options["batch"],
        backend_name=options["backend_name"],
        startup_delay=options["startup_delay"],
        max_tasks=options["max_tasks"],
        worker_id=options["worker_id"],
        excluded_queue_names=excluded,
    )
    if options["reload"] and not options["batch"]:
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.configure_signals()  # only the child that runs the tasks
        run_with_reloader(worker.run)
    else:
        worker.configure_signals()
        worker.run()


def fresh_localized(translation):
    """A per-request copy of ``translation`` (a memoised ``page.localized``) without the
    first request's ``specific``: Wagtail's ``specific`` is a ``cached_property`` kept in the
    instance ``__dict__`` (wagtail/models/specific.py:88), which a shallow copy would share.
    Used by ``HomePage.localized``."""
    translation = copy.copy(translation)
    translation.__dict__.pop("specific", None)
    return translation


def wagtail_localized(page):
    """Wagtail's own ``Page.localized`` for ``page`` (wagtail/models/i18n.py:247), called past
    a subclass's override of the property: ``HomePage.localized`` memoises it."""
    from wagtail.models import Page

    return Page.localized.fget(page)
