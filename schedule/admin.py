"""The schedule in the admin (节目单): channels and slots as snippets. Province offices keep
every channel; a city office keeps the slots of its own city's channels. The week at a
glance shows a channel's seven days side by side, each slot linked to its form."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    SnippetViewSet,
)

from pioneer.core.offices import user_scope
from schedule import listing
from schedule.models import Channel, Slot


def kept_channels(user):
    """The source-language channels ``user`` keeps the slots of."""
    channels = Channel.objects.filter(locale__language_code="zh-hans")
    scope = user_scope(user)
    if scope.unrestricted:
        return channels
    return channels.filter(region__translation_key__in=scope.region_keys)


def keeps(user, slot):
    return kept_channels(user).filter(pk=slot.channel_id).exists()


class _OwnSlots:
    def get_object(self, *args, **kwargs):
        slot = super().get_object(*args, **kwargs)
        if not keeps(self.request.user, slot):
            raise PermissionDenied
        return slot


class _ChannelChoices:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field = form.fields.get("channel")
        if field is not None:
            field.queryset = kept_channels(self.request.user)
        return form


class SlotCreateView(_ChannelChoices, CreateView):
    def get_initial(self):
        initial = super().get_initial()
        channel = self.request.GET.get("channel", "")
        if channel.isdigit():
            initial["channel"] = int(channel)
        day = listing.date_from(self.request.GET.get("day"))
        if day is not None:
            start = datetime.datetime.combine(day, datetime.time(19, 30), tzinfo=listing.TZ)
            initial["starts_at"] = start
            initial["ends_at"] = start + datetime.timedelta(minutes=30)
        return initial


class SlotEditView(_OwnSlots, _ChannelChoices, EditView):
    pass


class SlotDeleteView(_OwnSlots, DeleteView):
    pass


class SlotHistoryView(_OwnSlots, HistoryView):
    pass


class SlotFilterSet(WagtailFilterSet):
    channel = django_filters.ModelChoiceFilter(
        label=_("频道"), queryset=Channel.objects.filter(locale__language_code="zh-hans")
    )
    day = django_filters.DateFilter(label=_("日期"), method="filter_day")

    class Meta:
        model = Slot
        fields = ["channel", "repeat"]

    def filter_day(self, queryset, name, value):
        start, end = listing.day_bounds(value)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)


class SlotIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        week = HeaderButton(_("本周一览"), url=reverse("schedule_week"), icon_name="date")
        return [*super().header_buttons, week]

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(channel__in=kept_channels(self.request.user))
            .select_related("channel", "lesson")
        )


class SlotViewSet(SnippetViewSet):
    model = Slot
    icon = "time"
    menu_label = _("节目")
    menu_order = 10
    index_view_class = SlotIndexView
    add_view_class = SlotCreateView
    edit_view_class = SlotEditView
    delete_view_class = SlotDeleteView
    history_view_class = SlotHistoryView
    copy_view_enabled = False
    filterset_class = SlotFilterSet
    list_display = [
        "__str__",
        Column("channel", label=_("频道")),
        Column("minutes", label=_("时长（分钟）")),
        Column("repeat", label=_("重播"), accessor="get_repeat_display"),
    ]
    list_per_page = 50
    ordering = ["-starts_at"]


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "media"
    menu_label = _("频道")
    menu_order = 20
    list_display = ["name", "slug", "region"]


class ScheduleGroup(ViewSetGroup):
    menu_label = _("节目单")
    menu_icon = "date"
    menu_order = 240
    items = (SlotViewSet, ChannelViewSet)


SLOT_URLS = "wagtailsnippets_schedule_slot:"  # the snippet views' URL names


def week_view(request):
    """``/admin/schedule/week/?channel=&week=``: a channel's week at a glance."""
    channels = list(kept_channels(request.user))
    if not channels:
        raise PermissionDenied
    chosen = request.GET.get("channel", "")
    channel = next((c for c in channels if str(c.pk) == chosen), channels[0])
    day = listing.date_from(request.GET.get("week"))
    monday = listing.week_start(day or listing.local_today())
    start, _end = listing.day_bounds(monday)
    slots = listing.slots_between(channel, start, start + datetime.timedelta(days=7))
    days = {monday + datetime.timedelta(days=n): [] for n in range(7)}
    for slot in slots:
        local = slot.starts_at.astimezone(listing.TZ).date()
        if local in days:
            days[local].append(slot)
    add_url = reverse(SLOT_URLS + "add")
    return render(
        request,
        "schedule/admin/week.html",
        {
            "channels": channels,
            "channel": channel,
            "days": list(days.items()),
            "monday": monday,
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
            "add_url": add_url,
            "edit_url_name": SLOT_URLS + "edit",
        },
    )
