"""The admin of synonym groups (设置 → 同义词): province offices manage all of them, city
offices those they keep (their region or one below it); a group is retired, not deleted,
and its revisions say who changed what. 报告 → 搜索词 links here with a query filled in."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, UpdatedAtColumn
from wagtail.models import Locale
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from pioneer.core.models import Region
from pioneer.core.offices import user_scope
from search.models import SynonymGroup

EDITORS_SOURCE = _("本站编辑")


def _scoped_regions(user):
    """Regions of the source language a user may keep groups for; None for every region."""
    scope = user_scope(user)
    if scope.unrestricted:
        return None
    return scope.regions(Locale.get_default())


def _kept_by(user, group):
    scope = user_scope(user)
    return scope.unrestricted or scope.covers(group.region)


class _RegionFieldForUser:
    """City offices choose one of their own regions (required); the province may leave it
    empty (the province's own groups)."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        regions = _scoped_regions(self.request.user)
        field = form.fields.get("region")
        if field is not None:
            if regions is None:
                default = Locale.get_default()
                field.queryset = Region.objects.filter(locale=default).order_by("sort_order")
            else:
                field.queryset = regions.order_by("sort_order")
                field.required = True
                field.empty_label = None
        return form


class SynonymCreateView(_RegionFieldForUser, CreateView):
    def get_initial(self):
        initial = super().get_initial()
        typed = self.request.GET.get("terms", "")[:200]
        if typed:
            initial["terms"] = typed
            initial["note"] = _("学员搜索过这个词（报告 → 搜索词）")
        return initial

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if not form.instance.source:
            form.instance.source = str(EDITORS_SOURCE)
        return form


class SynonymEditView(_RegionFieldForUser, EditView):
    def get_object(self, queryset=None):
        group = super().get_object(queryset)
        if not _kept_by(self.request.user, group):
            raise PermissionDenied
        return group


class SynonymIndexView(IndexView):
    """Every office reads the whole list; only the groups it keeps link to their edit
    form (the others would answer 403)."""

    def get_edit_url(self, instance):
        if _kept_by(self.request.user, instance):
            return super().get_edit_url(instance)
        return None


class SynonymFilterSet(WagtailFilterSet):
    active = django_filters.ChoiceFilter(
        label=_("启用"),
        choices=[("1", _("是")), ("0", _("否"))],
        method="filter_active",
        empty_label=_("全部"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("维护单位"),
        queryset=lambda request: Region.objects.filter(locale=Locale.get_default()).order_by(
            "sort_order"
        ),
        empty_label=_("全部"),
    )

    class Meta:
        model = SynonymGroup
        fields = []

    def filter_active(self, queryset, name, value):
        return queryset.filter(active=value == "1")


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = _("同义词")
    add_to_settings_menu = True
    menu_order = 450
    index_view_class = SynonymIndexView
    add_view_class = SynonymCreateView
    edit_view_class = SynonymEditView
    # A copy would be a group in another office's name: offices add their own instead.
    copy_view_enabled = False
    filterset_class = SynonymFilterSet
    search_fields = ["terms", "also_finds", "note"]
    list_display = [
        "terms",  # the title column: a group's words link to its edit form
        Column("also_finds", label=_("单向：也能找到"), accessor="also_finds"),
        Column("region", label=_("维护单位"), accessor="region"),
        BooleanColumn("active", label=_("启用")),
        Column("source", label=_("来源"), accessor="source"),
        UpdatedAtColumn(),
    ]
    panels = [
        FieldPanel("terms"),
        FieldPanel("also_finds"),
        FieldPanel("region"),
        FieldPanel("active"),
        FieldPanel("note"),
        FieldPanel("source", read_only=True),
    ]

    def get_queryset(self, request):
        # Every office reads every group (one list, so no office adds a copy of a group it
        # cannot see); only its own may it change (SynonymEditView).
        return SynonymGroup.objects.select_related("region")
