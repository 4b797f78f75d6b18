"""The broadcast schedule (节目单): channels and their slots.

Most lessons reach a village station as a broadcast at a fixed time; station managers
gather people to watch it. A channel belongs to an office (the province's, or a city's for
a city channel), which keeps its slots. A slot is a time on one channel, with what is
shown: often a lesson of the site (linked, so a learner who missed it can watch it), a
first broadcast or a repeat. Slots keep their history (revisions), so a changed time or
title is never silently lost; an import that finds nothing changed writes nothing.
Times are stored in UTC and shown in China Standard Time (``TIME_ZONE``).
"""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, RevisionMixin, TranslatableMixin
from wagtail.search import index

from pioneer.core.five_functions import Function
from pioneer.core.models import Region
from pioneer.core.public import PublicViewRestrictionsMixin
from pioneer.core.slugs import PinyinSlugPageForm

MAX_SLOT = datetime.timedelta(hours=12)  # longer is a typing error, not a programme


class Channel(TranslatableMixin, index.Indexed, models.Model):
    """A television channel (or a radio or network stream) that carries the programme."""

    name = models.CharField(_("频道名称"), max_length=60, help_text=_("例如：浙江远程教育频道"))
    slug = models.SlugField(
        _("网址名"), max_length=40, help_text=_("用于网址和导入文件，例如 zjyj")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属地区"),
        on_delete=models.PROTECT,
        related_name="channels",
        help_text=_("省级频道选浙江省；市级频道选该市，由市远教办维护节目单"),
    )
    description = models.CharField(
        _("收看方式"),
        max_length=200,
        blank=True,
        help_text=_("例如：有线电视第 28 频道；IPTV 远教专区"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("region"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("频道")
        verbose_name_plural = _("频道")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_channel_slug_per_locale"
            )
        ]

    def __str__(self):
        return self.name


class Slot(RevisionMixin, models.Model):
    """One broadcast: a time on a channel and what is shown then."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("频道"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    title = models.CharField(_("节目名称"), max_length=200)
    lesson = models.ForeignKey(
        "lessons.LessonPage",
        verbose_name=_("对应课程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("播出的是本站的课程时选择它：错过播出的学员可以在网上观看"),
    )
    function = models.CharField(_("功能分类"), max_length=20, choices=Function.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("节目来自或面向的地区；留空为全省"),
    )
    repeat = models.BooleanField(_("重播"), default=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="schedule_slot")

    panels = [
        FieldPanel("channel"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("title"),
        PageChooserPanel("lesson", "lessons.LessonPage"),
        FieldRowPanel([FieldPanel("function"), FieldPanel("region")]),
        FieldPanel("repeat"),
    ]

    class Meta:
        verbose_name = _("节目")
        verbose_name_plural = _("节目")
        ordering = ["starts_at", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "starts_at"], name="one_slot_per_start"),
        ]
        indexes = [models.Index(fields=["channel", "starts_at"])]

    def __str__(self):
        start = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{start:%m-%d %H:%M} {self.title}" if start else self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    @property
    def minutes(self):
        return int(self.duration.total_seconds() // 60)

    def is_on(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError({"ends_at": _("结束时间必须晚于开始时间")})
            if self.ends_at - self.starts_at > MAX_SLOT:
                raise ValidationError({"ends_at": _("一个节目不能超过 12 小时")})
            if self.channel_id and self.overlapping().exists():
                other = self.overlapping().first()
                raise ValidationError(
                    {
                        "starts_at": _("与同一频道的“%(title)s”（%(start)s）时间重叠")
                        % {
                            "title": other.title,
                            "start": timezone.localtime(other.starts_at).strftime("%Y-%m-%d %H:%M"),
                        }
                    }
                )

    def overlapping(self):
        """Other slots of this channel whose time crosses this one's."""
        return Slot.objects.filter(
            channel_id=self.channel_id, starts_at__lt=self.ends_at, ends_at__gt=self.starts_at
        ).exclude(pk=self.pk)

    def function_label(self):
        return Function(self.function).label if self.function else ""


class SchedulePage(RoutablePageMixin, PublicViewRestrictionsMixin, Page):
    """``/<lang>/schedule/``: what each channel shows now, next and in the coming week;
    ``<channel>/`` for one channel, ``<channel>/print/`` its weekly sheet for the station's
    notice board. Kept briefly by caches (what is on now changes with the clock)."""

    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = PinyinSlugPageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "schedule/schedule_page.html"

    class Meta:
        verbose_name = _("节目单页面")
        verbose_name_plural = _("节目单页面")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["fragments_off"] = True  # now and next: the clock decides
        return context

    @path("")
    def all_channels(self, request):
        from schedule import views

        return views.schedule_index(self, request)

    @path("<slug:channel>/")
    def one_channel(self, request, channel):
        from schedule import views

        return views.channel_schedule(self, request, channel)

    @path("<slug:channel>/print/")
    def printed_week(self, request, channel):
        from schedule import views

        return views.printed_week(self, request, channel)
