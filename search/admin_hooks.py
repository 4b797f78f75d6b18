"""Search's admin hooks: 报告 → 搜索词 (``search.report``), for every office, in place of
Wagtail's own search-terms report. Imported by the shell's ``wagtail_hooks`` like the
other parts' hooks."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from pioneer import compat
from search.synonym_admin import SynonymGroupViewSet

compat.relabel_search_promotion_form({"external_link_text": _("外部链接文字")})


@hooks.register("register_admin_urls")
def query_report_urls():
    from django.urls import path

    from search.report import promote_query, query_report

    return [
        path("reports/search-queries/", query_report, name="search_query_report"),
        path("reports/search-queries/promote/", promote_query, name="search_query_promote"),
    ]


@hooks.register("register_reports_menu_item")
def query_report_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    from search.report import can_view

    class QueryReportMenuItem(MenuItem):
        def is_shown(self, request):
            return can_view(request.user)

    return QueryReportMenuItem(
        _("搜索词"), reverse("search_query_report"), icon_name="search", order=1250
    )


@hooks.register("construct_reports_menu")
def hide_wagtails_search_terms(request, menu_items):
    """Wagtail's "Search terms" report reads its own query hits, which this site never
    records (the search log above is the site's): always empty, and in English."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]


# 设置 → 同义词: synonym groups are snippets, with their revisions and history.
register_snippet(SynonymGroupViewSet)
