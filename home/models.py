"""The home page: the five functions and the newest items of every section."""

import copy
import functools

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from lessons.models import LessonIndexPage, LessonPage, with_listing_images
from news.models import NewsPage, PolicyPage
from pioneer import compat
from pioneer.caching import generation
from pioneer.caching.generation import memo
from pioneer.caching.nginx import PAGE_KEPT
from pioneer.core.five_functions import Function
from pioneer.core.models import Region
from pioneer.core.my_region import chosen_region
from pioneer.core.pages import specific_with_relations
from pioneer.core.public import PublicViewRestrictionsMixin, active_locale, public_pages
from pioneer.core.slugs import PinyinSlugPageForm

_routes = generation.LocalLRU(5000)  # URL → page, per generation, in each worker
MAX_ROUTE_DEPTH = 12  # deeper URLs (no page is) take Wagtail's walk, which stops early


class HomePage(PublicViewRestrictionsMixin, Page):
    intro = models.TextField(
        _("导语"),
        blank=True,
        help_text=_("首页顶部的一段话，说明网站能为学员做什么"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    base_form_class = PinyinSlugPageForm
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "lessons.LessonIndexPage",
        "news.NewsIndexPage",
        "news.PolicyIndexPage",
        "notices.NoticeIndexPage",
        "schedule.SchedulePage",
    ]
    max_count_per_parent = 1
    template = "home/home_page.html"

    class Meta:
        verbose_name = _("首页")

    def route(self, request, path_components):
        """Find the page for a URL in one query on its ``url_path`` (plus its specific
        row) instead of Wagtail's walk down the tree, which costs two queries a level.

        The deepest page whose path is a prefix of the URL answers, with the rest of the
        URL passed to its own ``route`` (routable pages' sub-URLs, such as a lesson's
        offline pack); when none matches, Wagtail's walk decides, as before.
        """
        if not path_components or len(path_components) > MAX_ROUTE_DEPTH:
            return super().route(request, path_components)  # a 404 after one query or two
        current = generation.generation()
        key = (current, self.pk, tuple(path_components))
        known = _routes.get(key) if current is not None else None
        if known is None:
            known = self._find(path_components)
            if current is not None:  # without the shared cache, nothing says when it changes
                _routes.set(key, known)
        if known is False:
            return super().route(request, path_components)
        content_type_id, pk, depth, parent = known
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        found = specific_with_relations(model, pk)
        if parent is not None:
            compat.preset_parent(found, copy.copy(parent))  # what get_parent() reads
        elif depth == self.depth + 1:
            compat.preset_parent(found, self)
        return found.route(request, path_components[depth - self.depth :])

    def _find(self, path_components):
        """(content type, pk, depth, parent) of the deepest page whose URL path is a prefix
        of the URL, or False; the parent comes with it when it matched too."""
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(len(path_components), 0, -1)
        ]
        matches = list(
            Page.objects.filter(
                slug__in=path_components, url_path__in=prefixes, path__startswith=self.path
            ).order_by("-depth")[:2]
        )
        if not matches:
            return False
        found = matches[0]
        parent = matches[1] if len(matches) > 1 and matches[1].depth == found.depth - 1 else None
        return (found.content_type_id, found.pk, found.depth, parent)

    @property
    def localized(self):
        """This home page in the active language: Wagtail's answer, looked up once per
        process and content generation (Wagtail's routing asks on every request)."""
        locale = active_locale()
        if locale.pk == self.locale_id:
            return self
        translation = memo(
            ("localized-home", self.pk, locale.pk), lambda: compat.wagtail_localized(self)
        )
        return compat.fresh_localized(translation)

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
        # Callables and lazy querysets: read only while the page's fragments are rendered.
        lessons = public_pages(LessonPage, locale=self.locale).order_by("-date", "-pk")
        context.update(
            functions=self.function_links,
            latest_lessons=with_listing_images(lessons)[:6],
            latest_news=public_pages(NewsPage, locale=self.locale)
            .select_related("region")
            .order_by("-date", "-pk")[:6],
            latest_policies=public_pages(PolicyPage, locale=self.locale).order_by(
                "-issue_date", "-pk"
            )[:5],
            lesson_index=functools.cache(
                public_pages(LessonIndexPage, locale=self.locale).child_of(self).first
            ),
        )
        region = chosen_region(request, self.locale)
        if region is not None:
            # "My region" leads: the county's own and its city's content (a city's: its
            # whole subtree); the home page's fragments are kept per region.
            if region.level == Region.Level.COUNTY and region.parent_id:
                mine = {"region__in": [region.pk, region.parent_id]}
            else:
                mine = {"region__in": Region.subtree(region).values("pk")}
            context.update(
                my_region=region,
                content_vary=region.slug,
                region_lessons=with_listing_images(lessons.filter(**mine))[:4],
                region_news=public_pages(NewsPage, locale=self.locale)
                .filter(**mine)
                .select_related("region")
                .order_by("-date", "-pk")[:5],
            )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if chosen_region(request, self.locale) is not None:
            # nginx keeps a copy per region (deploy/nginx), which no publish purges: it is
            # kept as long as any page, then revalidated (a 304 while nothing changed).
            response["X-Accel-Expires"] = str(PAGE_KEPT)
        return response
