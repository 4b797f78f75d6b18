"""Operations' admin hooks: the background-task report under 报告 → 后台任务, and the
sites listing's columns labelled in Chinese."""

from django.utils.text import capfirst
from wagtail import hooks
from wagtail.models import Site

from pioneer import compat


@hooks.register("register_admin_urls")
def task_report_urls():
    from django.urls import path

    from pioneer.ops.task_views import task_report

    return [path("reports/tasks/", task_report, name="task_report")]


@hooks.register("register_reports_menu_item")
def task_report_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    from pioneer.ops.task_views import can_view

    class TaskMenuItem(MenuItem):
        def is_shown(self, request):
            return can_view(request.user)

    return TaskMenuItem(_("后台任务"), reverse("task_report"), icon_name="warning", order=950)


def _label_site_columns():
    """Wagtail's sites listing labels three columns from their attribute names ("Port",
    "Site name", "Root page"), untranslatable; the model's field names are translated."""
    compat.relabel_site_columns(
        {
            name: capfirst(Site._meta.get_field(name).verbose_name)
            for name in ("port", "site_name", "root_page")
        }
    )


_label_site_columns()
