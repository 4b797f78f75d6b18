"""The admin of messages (站点留言): each office sees the messages of the regions it
covers (its own and those below it: a city the city's and its counties'), and nothing
else; superusers and the province's offices see all. Only they see a message at all, so
only they see its phone number. The asker's words, number and consent are read-only; the
office writes the status, the reply and the question as published, and may publish it
only with the asker's consent, a reply and the question without personal data.

Messages come in through the public form: no office adds one here (no add permission).
"""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    SnippetViewSet,
    UsageView,
)

from pioneer.core.models import Region
from pioneer.core.offices import user_scope
from station_messages.models import StationMessage


def messages_for(user, queryset=None):
    """The messages ``user`` may see: those of the regions their offices cover."""
    queryset = StationMessage.objects.all() if queryset is None else queryset
    if not user.is_active:
        return queryset.none()
    scope = user_scope(user)
    if scope.unrestricted:
        return queryset
    return queryset.filter(region__translation_key__in=scope.region_keys)


def may_see(user, message):
    return user.is_active and user_scope(user).covers(message.region)


class StationMessagePermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, narrowed to the regions a user's offices cover."""

    def user_has_permission(self, user, action):
        if action == "add" and not user.is_superuser:
            return False  # messages come from the public form
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and may_see(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return StationMessage.objects.none()
        return messages_for(user)


class _OnlyCovered:
    """A message of a region the user's offices do not cover is not found (404)."""

    def get_object(self, *args, **kwargs):
        message = super().get_object(*args, **kwargs)
        if not may_see(self.request.user, message):
            raise Http404
        return message


class MessageEditView(_OnlyCovered, EditView):
    pass


class MessageDeleteView(_OnlyCovered, DeleteView):
    pass


class MessageHistoryView(_OnlyCovered, HistoryView):
    pass


class MessageUsageView(_OnlyCovered, UsageView):
    pass


class MessageIndexView(IndexView):
    default_ordering = "-created_at"


class _ScopedChoices:
    def get_object_list(self):
        return messages_for(self.request.user)


class MessageChooseView(_ScopedChoices, ChooseView):
    pass


class MessageChooseResultsView(_ScopedChoices, ChooseResultsView):
    pass


class MessageChosenView(SnippetChosenView):
    def get_object(self, pk):
        message = super().get_object(pk)
        if not may_see(self.request.user, message):
            raise Http404
        return message


class MessageChooserViewSet(SnippetChooserViewSet):
    choose_view_class = MessageChooseView
    choose_results_view_class = MessageChooseResultsView
    chosen_view_class = MessageChosenView


class StationMessageAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        reply = (cleaned.get("reply") or "").strip()
        # A reply written answers the message: the office need not change the status too.
        if reply and cleaned.get("status") == StationMessage.Status.NEW:
            cleaned["status"] = StationMessage.Status.ANSWERED
        return cleaned

    def save(self, commit=True):
        message = self.instance
        if "reply" in self.changed_data and message.reply.strip():
            message.record_reply(self.for_user)
        return super().save(commit=commit)


def _regions_for_filter(request):
    default = Locale.get_default()
    regions = user_scope(request.user).regions(default)
    return regions.filter(level__in=["province", "city", "county"]).order_by("sort_order")


class StationMessageFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=StationMessage.Status.choices, empty_label=_("全部")
    )
    topic = django_filters.ChoiceFilter(
        label=_("类别"), choices=StationMessage.Topic.choices, empty_label=_("全部")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("地区"),
        queryset=_regions_for_filter,
        empty_label=_("全部"),
        method="filter_region",
    )
    published = django_filters.ChoiceFilter(
        label=_("公开"),
        choices=[("1", _("已公开")), ("0", _("未公开"))],
        method="filter_published",
        empty_label=_("全部"),
    )

    class Meta:
        model = StationMessage
        fields = []

    def filter_region(self, queryset, name, value):
        keys = Region.subtree(value).values_list("translation_key", flat=True)
        return queryset.filter(region__translation_key__in=list(keys))

    def filter_published(self, queryset, name, value):
        return queryset.filter(published=value == "1")


class StationMessageViewSet(SnippetViewSet):
    model = StationMessage
    icon = "mail"
    menu_label = _("站点留言")
    menu_name = "station-messages"
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = MessageIndexView
    edit_view_class = MessageEditView
    delete_view_class = MessageDeleteView
    history_view_class = MessageHistoryView
    usage_view_class = MessageUsageView
    chooser_viewset_class = MessageChooserViewSet
    copy_view_enabled = False
    filterset_class = StationMessageFilterSet
    search_fields = ["text", "reply", "public_question"]
    list_display = [
        "region",  # the title column: links to the message
        Column("topic", label=_("类别"), accessor="get_topic_display"),
        DateColumn("created_at", label=_("留言时间"), sort_key="created_at"),
        Column("status", label=_("状态"), accessor="get_status_display", sort_key="status"),
        BooleanColumn("published", label=_("公开")),
    ]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("region", read_only=True),
                    FieldPanel("topic", read_only=True),
                    FieldPanel("created_at", read_only=True),
                    FieldPanel("text", read_only=True),
                    FieldPanel("phone", read_only=True),
                    FieldPanel("phone_removed_at", read_only=True),
                    FieldPanel("consent_to_publish", read_only=True),
                ],
                heading=_("留言"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status"),
                    FieldPanel("reply"),
                    FieldPanel("replied_at", read_only=True),
                    FieldPanel("replied_by", read_only=True),
                ],
                heading=_("答复"),
            ),
            MultiFieldPanel(
                [FieldPanel("public_question"), FieldPanel("published")],
                heading=_("公开"),
                help_text=_(
                    "留言人同意公开、已经答复的留言，可以作为问答向全省公开；电话不会公开。"
                ),
            ),
        ],
        base_form_class=StationMessageAdminForm,
    )

    def get_queryset(self, request):
        return messages_for(request.user, StationMessage.objects.select_related("region"))
