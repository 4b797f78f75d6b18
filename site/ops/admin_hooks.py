"""Operations' admin hooks: the background-task report under 报告 → 后台任务."""

from wagtail import hooks


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
