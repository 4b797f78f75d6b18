"""News of cities and counties, and the policy library (通知, 方案, 意见, 讲话, …)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageLogEntry
from wagtail.search import index
from wagtail.signals import page_published
from wagtail_localize.fields import SynchronizedField

from news.content_types import NEWS, POLICY
from pioneer.caching.generation import deferred
from pioneer.core import filters
from pioneer.core.api_fields import RegionField, TopicsField
from pioneer.core.blocks import ArticleBodyBlock
from pioneer.core.models import Region, TaggedPageBase, within_region
from pioneer.core.ownership import RegionOwnedPage, RegionOwnedPageForm
from pioneer.core.pagination import paginate
from pioneer.core.public import PublicViewRestrictionsMixin, public_pages
from pioneer.core.slugs import PinyinSlugPageForm
from pioneer.core.text import docnumbers
from search.index import AliasesNotIndexed, SegmentedSearchField, page_search_fields

NEWS_LISTING_KEYS = ["page_obj", "items", "active_filters", "ignored_filters", "years", "regions"]
POLICY_LISTING_KEYS = [
    "page_obj",
    "documents",
    "active_filters",
    "ignored_filters",
    "issuers",
    "years",
]


# The news index (``region`` only where the index is not a region's) and the policy library.
NEWS_READING = filters.Reading(frozenset({"region", "year"}))
REGIONAL_NEWS_READING = filters.Reading(frozenset({"year"}))
POLICY_READING = filters.Reading(frozenset({"year"}))


class NewsIndexPage(PublicViewRestrictionsMixin, Page):
    """All news, or (with a region set) the news of one city or county."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("设置后本页只列出该地区（含下属县区）的新闻"),
    )
    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("intro")]
    base_form_class = PinyinSlugPageForm
    parent_page_types = ["home.HomePage", "news.NewsIndexPage"]
    subpage_types = ["news.NewsIndexPage", "news.NewsPage"]
    template = "news/news_index_page.html"
    per_page = 15

    class Meta:
        verbose_name = _("新闻目录")
        verbose_name_plural = _("新闻目录")

    def news(self):
        queryset = public_pages(NewsPage, locale=self.locale)
        if self.region_id:
            return queryset.filter(within_region(self.region_id))
        return queryset.descendant_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(deferred(lambda: self.listing(request), NEWS_LISTING_KEYS))
        return context

    def listing(self, request):
        queryset = self.news().select_related("region")
        active = {}
        reading = REGIONAL_NEWS_READING if self.region_id else NEWS_READING
        found, ignored = filters.read(request.GET, self.locale, reading, strict=False)
        queryset = filters.narrow(queryset, found, NEWS)
        if found.region is not None:
            active["region"] = found.region.label
        if found.year:
            active["year"] = found.year
        page_obj = paginate(request, queryset.order_by("-date", "-pk"), self.per_page)
        return {
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "active_filters": active,
            "ignored_filters": ignored,
            "years": filters.years_of(self.news(), NEWS.date_field),
            "regions": []
            if self.region_id
            else filters.region_choices(self.locale, without="province"),
        }


def regional_news_index(region, news_root):
    """The news section of ``region`` under ``news_root``, created when missing.

    A county's section sits inside its city's, so the city office's rights on its
    section reach its counties' news too.
    """
    existing = NewsIndexPage.objects.filter(locale=news_root.locale, region=region).first()
    if existing is not None:
        return existing
    parent = news_root
    if region.level == Region.Level.COUNTY and region.parent_id:
        parent = regional_news_index(region.parent, news_root)
    # Made live as it is added, with its first revision as the live one: what publishing
    # a new page leaves behind, without the publish action's checks of comments, workflow
    # and scheduled revisions, which a page made a moment ago has none of (28 queries a
    # section, 102 sections on a new site). Receivers of ``page_published`` still hear of it.
    now = timezone.now()
    section = NewsIndexPage(
        title=f"{region.label}动态",
        slug=region.slug,
        region=region,
        live=True,
        has_unpublished_changes=False,
        first_published_at=now,
        last_published_at=now,
    )
    parent.add_child(instance=section)
    revision = section.save_revision(changed=False, clean=False)
    section.live_revision = revision
    section.save(update_fields=["live_revision"], clean=False)
    page_published.send(sender=NewsIndexPage, instance=section, revision=revision)
    return section


class NewsPageTag(TaggedPageBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(AliasesNotIndexed, PublicViewRestrictionsMixin, RegionOwnedPage, Page):
    summary = models.TextField(_("摘要"), max_length=300)
    date = models.DateField(_("日期"), default=timezone.localdate)
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
    )
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("发布单位"))
    body = StreamField(ArticleBodyBlock(), verbose_name=_("正文"), blank=True)
    tags = ClusterTaggableManager(verbose_name=_("标签"), through=NewsPageTag, blank=True)
    source_id = models.CharField(
        _("来源编号"), max_length=64, blank=True, db_index=True, editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("region")]),
        FieldPanel("source"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body"),
        SegmentedSearchField("source"),
        index.RelatedFields("tags", [SegmentedSearchField("name", boost=2)]),
        index.FilterField("region"),
        index.FilterField("date"),
    )
    api_fields = [
        APIField("summary"),
        APIField("date"),
        APIField("source"),
        APIField("region", serializer=RegionField()),
        APIField("tags", serializer=TopicsField()),
        APIField("source_id"),
        APIField("body"),
    ]
    base_form_class = RegionOwnedPageForm
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []
    template = "news/news_page.html"

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")
        # The newest news first (home page, listings, feeds): without it the database
        # sorts every news item to find the first few.
        indexes = [models.Index(fields=["date"])]


class PolicyIndexPage(PublicViewRestrictionsMixin, Page):
    """The policy library: every document county offices must follow."""

    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = PinyinSlugPageForm
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.PolicyPage"]
    template = "news/policy_index_page.html"
    per_page = 20

    class Meta:
        verbose_name = _("政策文件库")
        verbose_name_plural = _("政策文件库")

    def documents(self):
        return public_pages(PolicyPage, locale=self.locale).descendant_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(deferred(lambda: self.listing(request), POLICY_LISTING_KEYS))
        context.update(doc_types=PolicyPage.DocType.choices, statuses=PolicyPage.Status.choices)
        return context

    def listing(self, request):
        queryset = self.documents()
        active, ignored = {}, []
        year_found, bad_year = filters.read(request.GET, self.locale, POLICY_READING, strict=False)
        issuer = request.GET.get("issuer", "")[:100]
        if issuer:
            queryset = queryset.filter(issuer=issuer)
            active["issuer"] = issuer
        for name, choices in (("type", PolicyPage.DocType), ("status", PolicyPage.Status)):
            value = request.GET.get(name, "")
            if value in choices.values:
                queryset = queryset.filter(**{"doc_type" if name == "type" else name: value})
                active[name] = choices(value).label
            elif value:
                ignored.append(name)
        if year_found.year:
            queryset = filters.narrow(queryset, year_found, POLICY)
            active["year"] = year_found.year
        elif bad_year:
            ignored.append("year")
        typed = request.GET.get("number", "")[:100]
        number = docnumbers.normalise(typed)
        if number:
            queryset = queryset.filter(doc_number=number)
            active["number"] = number
        elif start := docnumbers.prefix(typed):  # an issuer's code, or its code and a year
            queryset = queryset.filter(doc_number__startswith=start.stored_start)
            active["number"] = str(start)
        elif typed.strip():
            ignored.append("number")
        page_obj = paginate(request, queryset.order_by("-issue_date", "-pk"), self.per_page)
        return {
            "page_obj": page_obj,
            "documents": page_obj.object_list,
            "active_filters": active,
            "ignored_filters": ignored,
            "issuers": self.documents()
            .order_by("issuer")
            .values_list("issuer", flat=True)
            .distinct(),
            "years": filters.years_of(self.documents(), POLICY.date_field),
        }


class PolicyPageTag(TaggedPageBase):
    content_object = ParentalKey(
        "news.PolicyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PolicyPage(AliasesNotIndexed, PublicViewRestrictionsMixin, RegionOwnedPage, Page):
    class DocType(models.TextChoices):
        NOTICE = "notice", _("通知")
        OPINION = "opinion", _("意见")
        PLAN = "plan", _("方案")
        MEASURES = "measures", _("办法")
        SPEECH = "speech", _("讲话")
        DECISION = "decision", _("决定")
        RULES = "rules", _("规定")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("现行有效")
        AMENDED = "amended", _("已修订")
        REPEALED = "repealed", _("已废止")

    doc_type = models.CharField(_("文件类型"), max_length=20, choices=DocType.choices)
    issuer = models.CharField(_("发文机关"), max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name=_("发文地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
        help_text=_("发文机关所在的省、市或县，决定由哪一级审核；留空视为省级"),
    )
    doc_number = models.CharField(
        _("文号"),
        max_length=60,
        blank=True,
        help_text=_("例如：浙组通〔2023〕12号；[ ]、（ ）和全角数字会自动统一为标准写法"),
    )
    issue_date = models.DateField(_("成文日期"))
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    status = models.CharField(
        _("效力状态"), max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    summary = models.TextField(_("摘要"), max_length=500, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("全文"), blank=True)
    tags = ClusterTaggableManager(verbose_name=_("主题词"), through=PolicyPageTag, blank=True)
    change_note = models.CharField(
        _("修订说明"),
        max_length=300,
        blank=True,
        help_text=_("发布修订时填写，将显示在文件的公开修订记录中"),
    )
    source_id = models.CharField(
        _("来源编号"), max_length=64, blank=True, db_index=True, editable=False
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("doc_type"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("issuer"), FieldPanel("region")]),
        FieldPanel("doc_number"),
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("effective_date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("relations", label=_("修订或废止的文件")),
        FieldPanel("tags"),
        FieldPanel("change_note"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("内容")),
            ObjectList(Page.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )
    search_fields = page_search_fields(
        SegmentedSearchField("doc_number", boost=4),
        SegmentedSearchField("issuer"),
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body"),
        index.RelatedFields("tags", [SegmentedSearchField("name", boost=2)]),
        index.FilterField("doc_type"),
        index.FilterField("status"),
        index.FilterField("issue_date"),
        index.FilterField("region"),
    )
    api_fields = [
        APIField("doc_number"),
        APIField("doc_type"),
        APIField("issuer"),
        APIField("region", serializer=RegionField()),
        APIField("issue_date"),
        APIField("effective_date"),
        APIField("status"),
        APIField("summary"),
        APIField("tags", serializer=TopicsField()),
        APIField("source_id"),
        APIField("body"),
    ]
    base_form_class = RegionOwnedPageForm
    parent_page_types = ["news.PolicyIndexPage"]
    subpage_types = []
    template = "news/policy_page.html"
    # A copy is a new document: it needs a number of its own, never its original's.
    exclude_fields_in_copy = ["doc_number"]
    # A translation is the same document: same number, never translated.
    override_translatable_fields = [SynchronizedField("doc_number")]

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        indexes = [models.Index(fields=["issue_date"])]  # the newest documents first

    def clean(self):
        super().clean()
        if self.doc_number:
            try:
                self.doc_number = docnumbers.validate(self.doc_number)
            except ValidationError as error:
                raise ValidationError({"doc_number": error.messages}) from error
            clash = PolicyPage.objects.filter(doc_number=self.doc_number, locale_id=self.locale_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            existing = clash.first()
            if existing:
                raise ValidationError(
                    {
                        "doc_number": _("文号 %(number)s 已被《%(title)s》使用")
                        % {"number": self.doc_number, "title": existing.title}
                    }
                )

    def save(self, *args, **kwargs):
        if self.doc_number:
            self.doc_number = docnumbers.normalise(self.doc_number) or self.doc_number
        return super().save(*args, **kwargs)

    def superseded_by(self):
        """Public documents that amend or repeal this one."""
        return (
            public_pages(PolicyPage, locale=self.locale).filter(relations__target=self).distinct()
        )

    def public_relations(self):
        targets = public_pages(PolicyPage, locale=self.locale)
        return self.relations.filter(target__in=targets).select_related("target")

    def change_log(self):
        """Each publication of this document, newest first, with its change note."""
        entries = (
            PageLogEntry.objects.filter(page=self, action="wagtail.publish")
            .select_related("revision")
            .order_by("-timestamp")
        )
        return [
            {
                "date": entry.timestamp,
                "note": (entry.revision.content.get("change_note") if entry.revision else "") or "",
            }
            for entry in entries
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy querysets: read only while the page's fragment is rendered.
        context["superseded_by"] = self.superseded_by()
        context["relations"] = self.public_relations()
        return context


class PolicyRelation(Orderable):
    """This document amends or repeals an earlier one."""

    class Kind(models.TextChoices):
        AMENDS = "amends", _("修订")
        REPEALS = "repeals", _("废止并替代")

    source = ParentalKey(PolicyPage, related_name="relations", on_delete=models.CASCADE)
    kind = models.CharField(_("关系"), max_length=10, choices=Kind.choices)
    target = models.ForeignKey(
        PolicyPage, verbose_name=_("被修订或废止的文件"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("kind"), PageChooserPanel("target", "news.PolicyPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("文件关系")
