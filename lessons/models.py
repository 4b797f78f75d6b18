"""Courseware pages: lessons, their indexes per function, and series (专题)."""

import collections
import functools
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from lessons import captions, offline
from lessons.blocks import MEDIA_BLOCKS, LessonBodyBlock
from lessons.content_types import LESSON
from lessons.forms import LessonPageForm
from pioneer.caching.generation import deferred, memo
from pioneer.core import filters
from pioneer.core.api_fields import RegionField, TopicsField
from pioneer.core.filters import Filters
from pioneer.core.five_functions import Function
from pioneer.core.models import Region, TaggedPageBase, Topic, topic_labels
from pioneer.core.ownership import RegionOwnedPage
from pioneer.core.pagination import paginate
from pioneer.core.public import PublicViewRestrictionsMixin, public_pages
from pioneer.core.slugs import PinyinSlugPageForm
from search.index import AliasesNotIndexed, SegmentedSearchField, page_search_fields

RELATED_CANDIDATES = 40
LISTING_KEYS = ["page_obj", "lessons", "active_filters", "ignored_filters", "popular_tags"]
LISTING_THUMB = "fill-320x180|format-webp|webpquality-70"

# The query strings of the all-lessons index and of a function's index (plus ``duration``).
INDEX_READING = filters.Reading(frozenset({"function", "region", "tag"}))
FUNCTION_INDEX_READING = filters.Reading(frozenset({"region", "tag"}))

DURATION_BUCKETS = {
    "short": (_("15 分钟以内"), Q(duration_minutes__lte=15)),
    "medium": (_("16–45 分钟"), Q(duration_minutes__gt=15, duration_minutes__lte=45)),
    "long": (_("45 分钟以上"), Q(duration_minutes__gt=45)),
}


def with_listing_images(queryset):
    """Fetch the cover image and its listing rendition together with the pages."""
    images = get_image_model().objects.prefetch_renditions(LISTING_THUMB)
    return queryset.select_related("region").prefetch_related(Prefetch("cover", queryset=images))


class LessonIndexPage(PublicViewRestrictionsMixin, Page):
    """The all-lessons index, or (with a function set) the index of one function."""

    function = models.CharField(
        _("对应功能"),
        max_length=20,
        choices=Function.choices,
        blank=True,
        help_text=_("留空表示全部课程"),
    )
    intro = models.TextField(_("简介"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("function"), FieldPanel("intro")]
    base_form_class = PinyinSlugPageForm
    parent_page_types = ["home.HomePage", "lessons.LessonIndexPage"]
    subpage_types = ["lessons.LessonIndexPage", "lessons.LessonPage", "lessons.LessonSeriesPage"]
    template = "lessons/lesson_index_page.html"
    per_page = 12

    @classmethod
    def can_create_at(cls, parent):
        """Under the home page or the all-lessons index, never under a function's index:
        that holds lessons and series, and an index inside it would be a shelf without a
        function, which no listing shows (editors were offered it as a page type)."""
        if isinstance(parent.specific, LessonIndexPage) and parent.specific.function:
            return False
        return super().can_create_at(parent)

    class Meta:
        verbose_name = _("课程目录")
        verbose_name_plural = _("课程目录")

    def lessons(self):
        return public_pages(LessonPage, locale=self.locale).descendant_of(self)

    def apply_filters(self, request, queryset):
        """Narrow by the GET filters; unknown values are reported, not fatal."""
        # A function's own index takes no ``function`` parameter.
        reading = INDEX_READING if not self.function else FUNCTION_INDEX_READING
        found, ignored = filters.read(request.GET, self.locale, reading, strict=False)
        active = {}
        queryset = filters.narrow(queryset, replace(found, tag=""), LESSON)
        if found.function:
            active["function"] = Function(found.function).label
        if found.region is not None:
            active["region"] = found.region.label
        duration = request.GET.get("duration", "")
        if duration:
            if duration in DURATION_BUCKETS:
                label, condition = DURATION_BUCKETS[duration]
                queryset = queryset.filter(condition)
                active["duration"] = label
            else:
                ignored.append("duration")
        if found.tag:
            topic = filters.find_topic(found.tag, self.locale)
            tagged = filters.narrow(queryset, Filters(tag=found.tag), LESSON)
            queryset = tagged if topic else queryset.none()
            active["tag"] = topic_labels([topic], self.locale)[topic.pk] if topic else found.tag
        return queryset, active, ignored

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def listing():
            queryset, active, ignored = self.apply_filters(request, self.lessons())
            queryset = with_listing_images(queryset.order_by("-date", "-pk"))
            page_obj = paginate(request, queryset, self.per_page)
            return {
                "page_obj": page_obj,
                "lessons": page_obj.object_list,
                "active_filters": active,
                "ignored_filters": ignored,
                "popular_tags": self.popular_tags(),
            }

        context.update(deferred(listing, LISTING_KEYS))
        context.update(
            functions=Function.choices if not self.function else [],
            regions=filters.region_choices(self.locale, ["province", "city"]),
            durations=[(key, label) for key, (label, _q) in DURATION_BUCKETS.items()],
        )
        return context

    def popular_tags(self, limit=12):
        """The index's most used topics, once per process and content generation (counting
        them goes over every lesson of the index; every page of the listing shows them)."""
        return memo(("popular-tags", self.pk, limit), lambda: self._popular_tags(limit))

    def _popular_tags(self, limit):
        lesson_ids = self.lessons().values("pk")
        topics = list(
            Topic.objects.filter(lessons_lessonpagetag_items__content_object__in=lesson_ids)
            .annotate(uses=Count("lessons_lessonpagetag_items"))
            .order_by("-uses", "name")[:limit]
        )
        labels = topic_labels(topics, self.locale)
        return [{"slug": topic.slug, "name": labels[topic.pk]} for topic in topics]


class LessonPageTag(TaggedPageBase):
    content_object = ParentalKey(
        "lessons.LessonPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class LessonPage(
    AliasesNotIndexed, PublicViewRestrictionsMixin, RegionOwnedPage, RoutablePageMixin, Page
):
    """One courseware item: media first, then outline, downloads and related lessons."""

    summary = models.TextField(_("摘要"), max_length=300, help_text=_("一两句话说明这节课讲什么"))
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("正文"), blank=True)
    function = models.CharField(_("所属功能"), max_length=20, choices=Function.choices)
    tags = ClusterTaggableManager(
        verbose_name=_("标签"),
        through=LessonPageTag,
        blank=True,
        help_text=_("例如：水稻、生猪养殖、党史"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    producer = models.CharField(
        _("制作单位"), max_length=100, blank=True, help_text=_("制作这节课的课件制作基地")
    )
    audience = models.CharField(
        _("适用对象"), max_length=100, blank=True, help_text=_("例如：农村党员、种养大户")
    )
    duration_minutes = models.PositiveIntegerField(_("时长（分钟）"), null=True, blank=True)
    date = models.DateField(_("发布日期"), default=timezone.localdate)
    source_id = models.CharField(
        _("来源编号"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("资源库导入时的编号"),
    )
    # Bytes of the lesson's media and attachments, kept on save so that listings and
    # series can tell a learner what a download costs without loading every body.
    download_bytes = models.PositiveBigIntegerField(default=0, editable=False)

    search_fields = page_search_fields(
        SegmentedSearchField("summary", boost=2),
        SegmentedSearchField("body"),
        SegmentedSearchField("producer"),
        index.RelatedFields("tags", [SegmentedSearchField("name", boost=2)]),
        index.FilterField("function"),
        index.FilterField("region"),
        index.FilterField("date"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    metadata_panels = [
        FieldPanel("function"),
        FieldPanel("tags"),
        FieldRowPanel([FieldPanel("region"), FieldPanel("date")]),
        FieldRowPanel([FieldPanel("producer"), FieldPanel("audience")]),
        FieldPanel("duration_minutes"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("内容")),
            ObjectList(metadata_panels, heading=_("元数据")),
            ObjectList(Page.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels, heading=_("设置")),
        ]
    )
    api_fields = [
        APIField("summary"),
        APIField("function"),
        APIField("date"),
        APIField("duration_minutes"),
        APIField("producer"),
        APIField("audience"),
        APIField("region", serializer=RegionField()),
        APIField("tags", serializer=TopicsField()),
        APIField("cover"),
        APIField("source_id"),
        APIField("body"),
    ]
    base_form_class = LessonPageForm
    parent_page_types = ["lessons.LessonIndexPage"]
    subpage_types = []
    template = "lessons/lesson_page.html"

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        indexes = [models.Index(fields=["date"])]

    def save(self, *args, **kwargs):
        self.__dict__.pop("downloads", None)
        self.download_bytes = sum(item["document"].get_file_size() or 0 for item in self.downloads)
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not self.function:
            raise ValidationError({"function": _("请选择这节课所属的功能")})

    @property
    def function_label(self):
        return Function(self.function).label if self.function else ""

    @cached_property
    def media_blocks(self):
        return [block for block in self.body if block.block_type in MEDIA_BLOCKS]

    @cached_property
    def text_blocks(self):
        return [block for block in self.body if block.block_type not in MEDIA_BLOCKS]

    @cached_property
    def downloads(self):
        """Every downloadable file of the lesson, media included, with its size."""
        files = []
        for block in self.body:
            if block.block_type in ("video", "audio"):
                document = block.value["file"]
                title = block.value.get("title") or document.title
            elif block.block_type == "attachment":
                document = block.value["document"]
                title = block.value.get("title") or document.title
            else:
                continue
            if document is not None:
                files.append({"title": title, "document": document})
        return files

    @cached_property
    def parent_index(self):
        return self.get_parent()

    @cached_property
    def topics(self):
        return list(self.tags.all())

    @cached_property
    def tag_list(self):
        """The lesson's tags as this page's language names them."""
        labels = topic_labels(self.topics, self.locale)
        return [{"slug": topic.slug, "name": labels[topic.pk]} for topic in self.topics]

    def related_lessons(self, limit=4):
        """Lessons sharing this one's tags, most shared tags first, then the newest.

        Ranked among the newest ``RELATED_CANDIDATES`` lessons sharing any tag: counting
        shared tags over every lesson costs a scan of all of them (a tag may sit on a
        third of 10,000), while the newest few come off the date index at once.
        """
        tag_ids = [topic.pk for topic in self.topics]
        if not tag_ids:
            return []
        tagged = LessonPageTag.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        candidates = list(
            public_pages(LessonPage, locale=self.locale)
            .filter(pk__in=tagged)
            .exclude(pk=self.pk)
            .order_by("-date", "-pk")[:RELATED_CANDIDATES]
        )
        shared = collections.Counter(
            LessonPageTag.objects.filter(
                content_object_id__in=[lesson.pk for lesson in candidates], tag_id__in=tag_ids
            ).values_list("content_object_id", flat=True)
        )
        candidates.sort(key=lambda lesson: -shared[lesson.pk])  # stable: newest first within
        return candidates[:limit]

    def series_navigation(self):
        """For each series holding this lesson: the series, and previous/next lessons.

        The members of those series are read in one query, then which of them are public
        in a second, by their ids. As one query ("members whose lesson is among the public
        lessons"), PostgreSQL hashed every public lesson for each lesson in a series:
        about 80 ms at 100,000 lessons (bench/scale.py)."""
        members = list(
            SeriesMember.objects.filter(
                series__in=public_pages(LessonSeriesPage, locale=self.locale).filter(
                    members__lesson=self
                )
            )
            .select_related("series", "lesson")
            .order_by("series__path", "sort_order", "pk")
        )
        if not members:
            return []
        shown = set(
            public_pages(LessonPage, locale=self.locale)
            .filter(pk__in={member.lesson_id for member in members})
            .values_list("pk", flat=True)
        )
        by_series = {}
        for member in members:
            if member.lesson_id in shown:
                by_series.setdefault(member.series_id, []).append(member)
        result = []
        for series_members in by_series.values():
            ids = [m.lesson_id for m in series_members]
            if self.pk not in ids:
                continue
            position = ids.index(self.pk)
            result.append(
                {
                    "series": series_members[0].series,
                    "position": position + 1,
                    "total": len(series_members),
                    "previous": series_members[position - 1].lesson if position > 0 else None,
                    "next": series_members[position + 1].lesson
                    if position + 1 < len(series_members)
                    else None,
                }
            )
        return result

    def structured_data(self, request, series_nav=()):
        """schema.org LearningResource, for search engines and partners' crawlers."""
        data = {
            "@context": "https://schema.org",
            "@type": "LearningResource",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
            "learningResourceType": "courseware",
            "about": str(self.function_label),
            "keywords": [tag["name"] for tag in self.tag_list],
            "datePublished": self.date.isoformat(),
            "isAccessibleForFree": True,
        }
        if self.duration_minutes:
            data["timeRequired"] = f"PT{self.duration_minutes}M"
        if self.producer:
            data["provider"] = {"@type": "Organization", "name": self.producer}
        if self.audience:
            data["audience"] = {"@type": "Audience", "audienceType": self.audience}
        if self.region:
            data["spatialCoverage"] = {"@type": "Place", "name": self.region.name}
        if series_nav:
            data["isPartOf"] = [
                {
                    "@type": "Course",
                    "name": nav["series"].title,
                    "url": nav["series"].get_full_url(request),
                }
                for nav in series_nav
            ]
        return data

    @cached_property
    def transcript_captions(self):
        """WebVTT made from the timed transcript, for the lesson's one video when no
        captions file was uploaded for it; "" when the transcript gives no timings."""
        videos = [block for block in self.body if block.block_type == "video"]
        if len(videos) != 1 or videos[0].value["captions"]:
            return ""
        cues = captions.transcript_cues(self)
        return captions.webvtt(cues) if cues else ""

    @property
    def transcript_captions_url(self):
        if not self.transcript_captions:
            return ""
        return self.url + self.reverse_subpage("captions")

    @path("captions/", name="captions")
    def captions_track(self, request):
        if not self.transcript_captions:
            raise Http404
        return HttpResponse(self.transcript_captions, content_type="text/vtt; charset=utf-8")

    @cached_property
    def offline_pack_key(self):
        return offline.pack_key(self)

    def offline_pack_size(self):
        return offline.pack_size(
            self.offline_pack_key, lambda: offline.lesson_pack_contents(self), [self]
        )

    def offline_pack_spec(self):
        """The current pack's storage name and how to build it."""
        return self.offline_pack_key, lambda: offline.build_lesson_pack(self)

    @path("offline/", name="offline")
    def offline_pack(self, request):
        return offline.serve_pack(*self.offline_pack_spec(), self.title)

    def get_cached_paths(self):
        # The front cache keeps the offline pack under its own address: a purge of the
        # page (publish, unpublish, a restriction) takes the pack with it.
        return ["/", "/offline/"]

    def front_cache_dependents(self):
        """Live series that list this lesson (and pack it): purged with it."""
        return LessonSeriesPage.objects.live().filter(members__lesson=self).distinct()

    @path("")
    def lesson(self, request):
        return self.render(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read by the template only while its fragments are rendered, not on a cache hit.
        series_nav = functools.cache(self.series_navigation)
        context["related_lessons"] = functools.cache(self.related_lessons)
        context["series_nav"] = series_nav
        context["structured_data"] = lambda: self.structured_data(request, series_nav())
        return context


class LessonSeriesPage(AliasesNotIndexed, PublicViewRestrictionsMixin, RoutablePageMixin, Page):
    """A 专题: an ordered set of lessons learnt one after another."""

    summary = models.TextField(_("简介"), max_length=500)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover"),
        MultiFieldPanel(
            [InlinePanel("members", label=_("课程"))], heading=_("专题中的课程（按顺序）")
        ),
    ]
    base_form_class = PinyinSlugPageForm
    # A series is about what its lessons teach: their titles and summaries are searched as
    # its text (稻瘟病 finds 水稻全程种植技术, whose lessons treat it), below its own words.
    search_fields = page_search_fields(
        SegmentedSearchField("summary", boost=2), SegmentedSearchField("lessons_text")
    )
    parent_page_types = ["lessons.LessonIndexPage"]
    subpage_types = []
    template = "lessons/lesson_series_page.html"

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    @property
    def date(self):
        """The date the series page shows (and search results give): its last publication,
        in local time."""
        published = self.last_published_at or self.first_published_at
        return timezone.localdate(published) if published else None

    def lessons_text(self):
        """The titles and summaries of the lessons the public can open, for the index."""
        if not self.pk:
            return ""
        members = public_pages(LessonPage, locale=self.locale).filter(
            series_memberships__series=self
        )
        return " ".join(
            f"{title} {summary}" for title, summary in members.values_list("title", "summary")
        )

    def public_members(self):
        lessons = public_pages(LessonPage, locale=self.locale)
        return with_listing_images(lessons.filter(series_memberships__series=self)).order_by(
            "series_memberships__sort_order"
        )

    def offline_pack_key(self, lessons):
        return offline.pack_key(self, lessons)

    def offline_pack_spec(self):
        """The current pack's storage name and how to build it."""
        lessons = list(self.public_members())
        return self.offline_pack_key(lessons), lambda: offline.build_series_pack(self, lessons)

    @path("offline/", name="offline")
    def offline_pack(self, request):
        return offline.serve_pack(*self.offline_pack_spec(), self.title)

    def get_cached_paths(self):
        return ["/", "/offline/"]  # the pack too, as for a lesson

    @path("")
    def series(self, request):
        return self.render(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def members():
            lessons = list(self.public_members())
            key = self.offline_pack_key(lessons)
            size = offline.pack_size(
                key, lambda: offline.series_pack_contents(self, lessons), lessons
            )
            return {"lessons": lessons, "offline_pack_size": size}

        context.update(deferred(members, ["lessons", "offline_pack_size"]))
        return context


class SeriesMember(Orderable):
    series = ParentalKey(LessonSeriesPage, related_name="members", on_delete=models.CASCADE)
    lesson = models.ForeignKey(
        LessonPage,
        verbose_name=_("课程"),
        related_name="series_memberships",
        on_delete=models.CASCADE,
    )

    panels = [PageChooserPanel("lesson", "lessons.LessonPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("专题课程")
