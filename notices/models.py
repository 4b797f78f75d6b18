"""Urgent notices (预警通知): the programme's fifth function as a service.

A notice is a page, so it has what pages have here: an office's own region decides who may
edit it, a review workflow (one stage, its own office's reviewer,
``pioneer.editorial.role_setup``), revisions, the audit log, translations and a public
address. A red or orange notice may also be published at once by a reviewer of its office,
a blue or yellow one only through its review (``NoticePermissionTester``); any editor of
the office may end a notice early (``notices.admin_views``). What is current is decided by
its start and end times when a page is shown, never by a job that has to run: a notice
disappears by itself.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from pioneer.core.blocks import ArticleBodyBlock
from pioneer.core.models import Region
from pioneer.core.offices import user_scope
from pioneer.core.ownership import RegionalPagePermissionTester, RegionOwnedPageForm
from pioneer.core.pagination import paginate
from pioneer.core.public import PublicViewRestrictionsMixin, public_pages
from pioneer.core.slugs import PinyinSlugPageForm
from search.index import AliasesNotIndexed, SegmentedSearchField, page_search_fields

SUMMARY_MAX = 200  # a phone screen; 70 characters make one SMS (the help text says so)
DEFAULT_DURATION = datetime.timedelta(days=1)
# The notice pages are shown for at most this long in caches (nginx reads the header): a
# notice's start and end are not events anything purges for.
TIMED_MAX_AGE = 30


class Level(models.TextChoices):
    """China's four warning colours, from the least to the most severe."""

    BLUE = "blue", _("蓝色预警")
    YELLOW = "yellow", _("黄色预警")
    ORANGE = "orange", _("橙色预警")
    RED = "red", _("红色预警")


SEVERITY = {Level.RED: 0, Level.ORANGE: 1, Level.YELLOW: 2, Level.BLUE: 3}
URGENT_LEVELS = frozenset({Level.RED, Level.ORANGE})  # a reviewer may publish these at once


class NoticeIndexPage(PublicViewRestrictionsMixin, Page):
    """``/<lang>/notices/``: the notices in force now, then the past ones."""

    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = PinyinSlugPageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = ["notices.NoticePage"]
    max_count_per_parent = 1
    template = "notices/notice_index_page.html"
    per_page = 20

    class Meta:
        verbose_name = _("预警通知目录")
        verbose_name_plural = _("预警通知目录")

    def get_context(self, request, *args, **kwargs):
        from notices import current

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        notices = notices_for(self.locale).select_related("region")
        live = [notice for notice in notices.filter(ends_at__gt=now) if notice.starts_at <= now]
        live.sort(key=lambda notice: (SEVERITY.get(notice.level, 9), -notice.starts_at.timestamp()))
        past = notices.filter(ends_at__lte=now).order_by("-ends_at", "-pk")
        context.update(
            fragments_off=True,
            current_notices=live,
            past_page=paginate(request, past, self.per_page),
            my_region=current.chosen_region_for(request, self.locale),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return timed(response)


def timed(response):
    """A notice page's answer is kept briefly (``TIMED_MAX_AGE``): what is current changes
    with the clock. The generation ETag leaves these addresses alone
    (``pioneer.caching.nginx.TIMED``)."""
    if response.status_code == 200 and "Cache-Control" not in response:
        response["Cache-Control"] = f"public, max-age={TIMED_MAX_AGE}"
    return response


def notices_for(locale):
    """The public notices to show in ``locale``: each notice in that language where it has
    been translated, else in its own (a warning is never hidden for want of a translation)."""
    from django.db.models import Q

    everywhere = public_pages(NoticePage, locale=False)
    here = everywhere.filter(locale=locale)
    return everywhere.filter(
        Q(locale=locale) | ~Q(translation_key__in=here.values("translation_key"))
    )


def default_start():
    return timezone.now()


def default_end():
    return timezone.now() + DEFAULT_DURATION


class NoticePageForm(RegionOwnedPageForm):
    """The regions a notice concerns: the office's own region and those below it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("areas")
        user = getattr(self, "for_user", None)
        if field is None or user is None:
            return
        locale = self.instance.locale if self.instance.locale_id else None
        if locale is None and self.parent_page is not None:
            locale = self.parent_page.locale
        field.queryset = user_scope(user).regions(locale).order_by("sort_order")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("结束时间必须晚于开始时间"))
        region, areas = cleaned.get("region"), cleaned.get("areas")
        if region is not None and areas:
            inside = set(Region.subtree(region).values_list("pk", flat=True))
            outside = [area.label for area in areas if area.pk not in inside]
            if outside:
                self.add_error(
                    "areas",
                    _("发布单位只能对本地区及下属地区发布预警，以下地区不属于%(region)s：%(names)s")
                    % {"region": region.label, "names": "、".join(outside)},
                )
        return cleaned


class NoticePermissionTester(RegionalPagePermissionTester):
    """Who may publish a notice. Office reviewers hold "publish" on their own region's
    notices (``pioneer.editorial.role_setup``), but only a red or orange notice may be
    published at once; a blue or yellow one only as its review's approval publishes it
    (the audit log records who and when either way)."""

    def can_publish(self):
        if not super().can_publish():
            return False
        if self.user.is_superuser or self.page.level in URGENT_LEVELS:
            return True
        return approved_for_publishing(self.page)

    def can_publish_subpage(self):
        return False  # a notice has no children


def approved_for_publishing(page):
    """Whether the newest revision of ``page`` is the one its review just approved (the
    workflow publishes it as its last step)."""
    from wagtail.models import Revision, WorkflowState

    if not page.pk:
        return False
    newest = (
        Revision.page_revisions.filter(object_id=str(page.pk))
        .order_by("-created_at", "-pk")
        .first()
    )
    return (
        newest is not None
        and WorkflowState.objects.filter(
            base_content_type=page.get_base_content_type(),
            object_id=str(page.pk),
            status=WorkflowState.STATUS_APPROVED,
            current_task_state__revision=newest,
        ).exists()
    )


class NoticePage(AliasesNotIndexed, PublicViewRestrictionsMixin, Page):
    level = models.CharField(_("预警级别"), max_length=10, choices=Level.choices)
    summary = models.TextField(
        _("预警内容"),
        max_length=SUMMARY_MAX,
        help_text=_("几句话说清发生了什么、要做什么；70 字以内可用一条短信发完"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("发布单位所属地区"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    areas = ParentalManyToManyField(
        Region,
        verbose_name=_("涉及地区"),
        blank=True,
        related_name="+",
        help_text=_("留空则为发布单位所属的整个地区；一个地区包含其下属的全部地区"),
    )
    issuer = models.CharField(
        _("发布单位"),
        max_length=100,
        blank=True,
        help_text=_("例如：桐庐县远程教育办公室；留空则显示地区名称"),
    )
    starts_at = models.DateTimeField(_("开始时间"), default=default_start)
    ends_at = models.DateTimeField(_("结束时间"), default=default_end)
    details = StreamField(ArticleBodyBlock(), verbose_name=_("详细说明"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("level"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("region"), FieldPanel("issuer")]),
                FieldPanel("areas", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("发布单位和涉及地区"),
        ),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("details"),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("details"),
        index.FilterField("region"),
        index.FilterField("ends_at"),
    )
    api_fields = [
        APIField("level"),
        APIField("summary"),
        APIField("issuer"),
        APIField("starts_at"),
        APIField("ends_at"),
    ]
    override_translatable_fields = [
        SynchronizedField("level"),
        SynchronizedField("region"),
        SynchronizedField("areas"),
        SynchronizedField("starts_at"),
        SynchronizedField("ends_at"),
    ]
    base_form_class = NoticePageForm
    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types = []
    template = "notices/notice_page.html"

    class Meta:
        verbose_name = _("预警通知")
        verbose_name_plural = _("预警通知")

    def permissions_for_user(self, user):
        return NoticePermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("结束时间必须晚于开始时间")})

    @property
    def issuer_label(self):
        return self.issuer or (self.region.name if self.region_id else "")

    def is_current(self, now=None):
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def has_ended(self, now=None):
        return self.ends_at <= (now or timezone.now())

    def area_regions(self):
        """The regions it concerns: those chosen, else the issuing office's whole region."""
        areas = list(self.areas.all())
        return areas or ([self.region] if self.region_id else [])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["fragments_off"] = True  # started, in force or ended: the clock decides
        return context

    def serve(self, request, *args, **kwargs):
        return timed(super().serve(request, *args, **kwargs))
