"""Builds the offices' groups, their permissions and the review workflows (idempotent).

Run by ``manage.py setup_site`` (and so by ``load_demo``) and ``manage.py setup_roles``;
running it again after adding a region gives the new office its groups and news section
and changes nothing else. Where offices add each content kind, and so which workflow
reviews it, the kinds declare (``pioneer.core.content_types``: ``office_sections``,
``office_index``, ``top_index``).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from pioneer.core import content_types
from pioneer.core.models import Region
from pioneer.core.offices import RegionRole
from pioneer.editorial.review import RegionalApprovalTask

PROVINCE_EDITOR_PAGE = ["add_page", "change_page", "lock_page", "unlock_page"]
PROVINCE_REVIEWER_PAGE = PROVINCE_EDITOR_PAGE + ["publish_page", "bulk_delete_page"]
NEWS_EDITOR_PAGE = ["add_page", "change_page"]
NEWS_REVIEWER_PAGE = NEWS_EDITOR_PAGE + ["lock_page", "unlock_page"]

# Model permissions (app_label.codename) by who holds them.
EVERYONE = [
    "wagtailadmin.access_admin",
    # 报告 → 搜索词: what learners searched for; every office knows words learners use.
    "search.view_searchqueryday",
    "search.view_synonymgroup",
    # 站点留言: every office answers the messages sent to it (and those of the regions
    # below it); which ones it sees is station_messages.admin's scope, not a permission.
    # Messages come from the public form: no office adds or deletes one.
    "station_messages.view_stationmessage",
    "station_messages.change_stationmessage",
]
# 设置 → 同义词: the province's offices keep every group, a city's those of its own
# region; groups are retired, not deleted (no one but a superuser deletes one).
SYNONYM_KEEPERS = ["search.add_synonymgroup", "search.change_synonymgroup"]
# 节目单: the province's offices keep every channel's slots, a city's those of its own
# channels (the views narrow them); only the province adds or renames channels.
SLOT_KEEPERS = [
    "schedule.add_slot",
    "schedule.change_slot",
    "schedule.delete_slot",
    "schedule.view_slot",
]
CHANNEL_KEEPERS = ["schedule.add_channel", "schedule.change_channel", "schedule.view_channel"]
PROVINCE_ONLY = [
    "pioneer.change_sitesettings",
    "pioneer.add_region",
    "pioneer.change_region",
    "pioneer.view_region",
    "pioneer.add_topic",
    "pioneer.change_topic",
    "pioneer.delete_topic",
    "pioneer.view_topic",
    "pioneer.add_sitetext",
    "pioneer.change_sitetext",
    "pioneer.view_sitetext",
    "pioneer.add_importjob",
    "auth.add_user",
    "auth.change_user",
    "auth.view_user",
    "auth.view_group",
    "wagtailcore.add_workflow",
    "wagtailcore.change_workflow",
    "wagtailcore.add_task",
    "wagtailcore.change_task",
    "django_tasks_database.view_dbtaskresult",
]
# Recommended search results show for every learner in the province, as a published page
# does: for those who may publish there, the province's reviewers.
PROVINCE_REVIEWERS_ONLY = [
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
    "wagtailsearchpromotions.delete_searchpromotion",
]
COLLECTION_REGIONAL = [
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
]
COLLECTION_PROVINCE = COLLECTION_REGIONAL + [
    "wagtailimages.change_image",
    "wagtailimages.delete_image",
    "wagtaildocs.change_document",
    "wagtaildocs.delete_document",
]

# Learners who may read pages restricted to them (Wagtail's privacy setting "groups"),
# e.g. internal notices for the village stations' managers; no admin access.
STATION_MANAGERS = "站点管理员"

LESSON_POLICY_WORKFLOW = "课件与政策文件审核（县—市—省）"
# Urgent notices: speed over ceremony, one stage, the issuing office's own reviewers.
OWN_OFFICE_WORKFLOW = "预警通知审核（本单位）"
NEWS_WORKFLOW = "新闻审核（市级）"
STAGES = {
    "county": "县级审核",
    "city": "市级审核",
    "province": "省级审批",
    "news": "新闻市级审核",
    "own": "本单位审核",
}


class _Grants:
    """The rights a run grants, with what already exists read once: the permissions by
    name and the page and collection permissions groups hold. A run over 102 regions that
    changes nothing asked for each right in turn (7,200 queries, 12 s on SQLite)."""

    def __init__(self):
        self.by_name = {
            f"{permission.content_type.app_label}.{permission.codename}": permission
            for permission in Permission.objects.select_related("content_type")
        }
        self.held_pages = set(
            GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")
        )
        self.held_collections = set(
            GroupCollectionPermission.objects.values_list(
                "group_id", "collection_id", "permission_id"
            )
        )
        self.root_collection = Collection.get_first_root_node()
        self.new_pages, self.new_collections = [], []

    def permissions(self, names):
        return [self.by_name[name] for name in names]

    def on_page(self, group, page, codenames):
        for permission in self.permissions(f"wagtailcore.{name}" for name in codenames):
            if (group.pk, page.pk, permission.pk) not in self.held_pages:
                self.held_pages.add((group.pk, page.pk, permission.pk))
                self.new_pages.append(
                    GroupPagePermission(group=group, page=page, permission=permission)
                )

    def on_collection(self, group, names):
        root = self.root_collection
        for permission in self.permissions(names):
            if (group.pk, root.pk, permission.pk) not in self.held_collections:
                self.held_collections.add((group.pk, root.pk, permission.pk))
                self.new_collections.append(
                    GroupCollectionPermission(group=group, collection=root, permission=permission)
                )

    def save(self):
        """Write the rights granted since the last save: one insert each, not one a page
        and group (1,600 on a new site)."""
        GroupPagePermission.objects.bulk_create(self.new_pages)
        GroupCollectionPermission.objects.bulk_create(self.new_collections)
        self.new_pages, self.new_collections = [], []


# Group names are data, kept in the source language whatever language is active.
GROUP_SUFFIX = {RegionRole.Kind.EDITOR: "编辑", RegionRole.Kind.REVIEWER: "审核"}


def group_name(region, kind):
    return f"{region.name}{GROUP_SUFFIX[kind]}"


def ensure_role(region, kind):
    role = RegionRole.objects.filter(region=region, kind=kind).select_related("group").first()
    if role is not None:
        return role.group
    group, _ = Group.objects.get_or_create(name=group_name(region, kind))
    RegionRole.objects.create(group=group, region=region, kind=kind)
    return group


def regional_sections(locale):
    """The index pages city and county offices add lessons and policy documents to (the
    ``office_sections`` of each kind)."""
    indexes = []
    for kind in content_types.kinds():
        if kind.office_sections is not None:
            for queryset in kind.indexes(kind.office_sections, locale=locale):
                indexes += list(queryset)
    return indexes


def own_office_sections(locale):
    """Where offices add content reviewed by their own office alone (the urgent notices):
    what the ``pioneer_own_office_review`` hooks name."""
    from wagtail import hooks

    return [page for hook in hooks.get_hooks("pioneer_own_office_review") for page in hook(locale)]


def _news_kind():
    """The kind each office has its own index of (``office_index``: news), or None."""
    return next((kind for kind in content_types.kinds() if kind.office_index), None)


def _reviewed_roots(locale):
    """The top indexes of the kinds offices add to the province's sections (lessons and
    policy documents): the county > city > province workflow's pages."""
    roots = []
    for kind in content_types.kinds():
        if kind.office_sections is not None:
            for queryset in kind.indexes(locale=locale):
                roots += list(queryset)
    return roots


def _news_root(locale):
    """The top news index of ``locale`` (the news without a region), or None."""
    kind = _news_kind()
    for queryset in kind.indexes(locale=locale) if kind is not None else ():
        root = queryset.first()
        if root is not None:
            return root
    return None


def setup_region(region, sections, news_root, grants, own_sections=()):
    regional_news_index = _news_kind().get_office_index() if news_root is not None else None
    editors = ensure_role(region, RegionRole.Kind.EDITOR)
    reviewers = ensure_role(region, RegionRole.Kind.REVIEWER)
    for group in (editors, reviewers):
        group.permissions.add(*grants.permissions(EVERYONE))
    if region.level == Region.Level.PROVINCE:
        if news_root is not None:
            regional_news_index(region, news_root)  # the province office's own news
        root = Page.get_first_root_node()
        grants.on_page(editors, root, PROVINCE_EDITOR_PAGE)
        grants.on_page(reviewers, root, PROVINCE_REVIEWER_PAGE)
        for group in (editors, reviewers):
            group.permissions.add(
                *grants.permissions(
                    PROVINCE_ONLY + SYNONYM_KEEPERS + SLOT_KEEPERS + CHANNEL_KEEPERS
                )
            )
            grants.on_collection(group, COLLECTION_PROVINCE)
        reviewers.permissions.add(*grants.permissions(PROVINCE_REVIEWERS_ONLY))
        editors.permissions.remove(*grants.permissions(PROVINCE_REVIEWERS_ONLY))
        return editors, reviewers
    for section in sections:
        grants.on_page(editors, section, ["add_page"])
        grants.on_page(reviewers, section, ["add_page"])
    # Content its own office reviews (urgent notices): the reviewers publish it, as the
    # review's approval (the content type decides which pieces they may publish at once).
    for section in own_sections:
        grants.on_page(editors, section, ["add_page"])
        grants.on_page(reviewers, section, ["add_page", "publish_page"])
    if news_root is not None:
        news = regional_news_index(region, news_root)
        grants.on_page(editors, news, NEWS_EDITOR_PAGE)
        # The city's reviewers are the news workflow's last stage: they may publish.
        reviewer_rights = NEWS_REVIEWER_PAGE + (
            ["publish_page"] if region.level == Region.Level.CITY else []
        )
        grants.on_page(reviewers, news, reviewer_rights)
    for group in (editors, reviewers):
        grants.on_collection(group, COLLECTION_REGIONAL)
        if region.level == Region.Level.CITY:
            group.permissions.add(*grants.permissions(SYNONYM_KEEPERS + SLOT_KEEPERS))
    return editors, reviewers


def _task(name, level, fallback=False):
    task = RegionalApprovalTask.objects.filter(name=name).first()
    if task is None:
        task = RegionalApprovalTask.objects.create(
            name=name, level=level, fallback_to_owner=fallback
        )
    # A stage that falls back to the content's own office needs the offices above too.
    levels = {"county": ["county", "city", "province"], "city": ["city", "province"]}
    groups = Group.objects.filter(
        region_role__kind=RegionRole.Kind.REVIEWER,
        region_role__region__level__in=levels.get(level, [level]) if fallback else [level],
    )
    task.groups.add(*groups)
    return task


def _workflow(name, tasks, pages):
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    for page in pages:
        if not WorkflowPage.objects.filter(page=page).exists():
            WorkflowPage.objects.create(page=page, workflow=workflow)
    return workflow


@transaction.atomic
def setup_roles(locale):
    """Groups for every region of ``locale`` (the source language), then the workflows."""
    Group.objects.get_or_create(name=STATION_MANAGERS)
    own_sections = own_office_sections(locale)
    sections = regional_sections(locale)
    news_root = _news_root(locale)
    regions = Region.objects.filter(locale=locale).select_related("parent")
    # Parents first, so a county's news section can sit inside its city's.
    order = {Region.Level.PROVINCE: 0, Region.Level.CITY: 1, Region.Level.COUNTY: 2}
    grants = _Grants()
    for region in sorted(regions, key=lambda r: (order[r.level], r.sort_order)):
        setup_region(region, sections, news_root, grants, own_sections)
    grants.save()

    county, city, province = (
        _task(STAGES[level], level) for level in ("county", "city", "province")
    )
    news_stage = _task(STAGES["news"], "city", fallback=True)
    # The county level, falling back to the owner: a county's notice goes to the county's
    # reviewers, a city's (no county above it) to the city's, the province's to its own.
    own_stage = _task(STAGES["own"], "county", fallback=True)
    _workflow(LESSON_POLICY_WORKFLOW, [county, city, province], _reviewed_roots(locale))
    _workflow(NEWS_WORKFLOW, [news_stage], [news_root] if news_root else [])
    _workflow(OWN_OFFICE_WORKFLOW, [own_stage], own_sections)
    return Group.objects.filter(region_role__region__locale=locale).count()
