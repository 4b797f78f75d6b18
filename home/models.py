"""The home page: the five functions and the newest items of every section."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from lessons.functions import Function
from lessons.models import LessonIndexPage, LessonPage, with_listing_images
from news.models import NewsPage, PolicyPage
from pioneer.public import public_pages


class HomePage(Page):
    intro = models.TextField(
        _("导语"),
        blank=True,
        help_text=_("首页顶部的一段话，说明网站能为学员做什么"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lessons.LessonIndexPage", "news.NewsIndexPage", "news.PolicyIndexPage"]
    max_count_per_parent = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("首页")

    def function_links(self):
        """One link per function: its own index page when there is one."""
        indexes = {
            page.function: page
            for page in public_pages(LessonIndexPage, locale=self.locale)
            .descendant_of(self)
            .exclude(function="")
        }
        return [
            {"key": choice.value, "label": choice.label, "page": indexes.get(choice.value)}
            for choice in Function
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lessons = public_pages(LessonPage, locale=self.locale).order_by("-date", "-pk")
        context.update(
            functions=self.function_links(),
            latest_lessons=with_listing_images(lessons)[:6],
            latest_news=public_pages(NewsPage, locale=self.locale)
            .select_related("region")
            .order_by("-date", "-pk")[:6],
            latest_policies=public_pages(PolicyPage, locale=self.locale).order_by(
                "-issue_date", "-pk"
            )[:5],
            lesson_index=public_pages(LessonIndexPage, locale=self.locale).child_of(self).first(),
        )
        return context
