"""Search's admin hooks: 报告 → 搜索词 (``search.report``), for the editors who may manage
promoted results. Imported by the shell's ``wagtail_hooks`` like the other parts' hooks."""

from wagtail import hooks


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
