"""报告 → 后台任务: background tasks that failed or wait, for the province's staff."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

SHOWN = 100


def can_view(user):
    return user.is_superuser or user.has_perm("django_tasks_database.view_dbtaskresult")


def task_report(request):
    from django_tasks_db.models import DBTaskResult

    if not can_view(request.user):
        raise PermissionDenied
    failed = DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at")[:SHOWN]
    waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).order_by("run_after")
    return TemplateResponse(
        request,
        "pioneer/admin/task_report.html",
        {
            "failed": failed,
            "waiting": waiting[:SHOWN],
            "waiting_count": waiting.count(),
            "header_icon": "warning",
        },
    )
