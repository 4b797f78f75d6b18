"""A visible confirmation when a reviewer approves: "已批准，送交市级审核" or, when the last
approval publishes the page, "已批准并发布".

Wagtail's approve action (the dashboard's button and the editor's footer menu) says
nothing. Its ``task_approved`` signal knows the user but not the request the message
belongs to, so the admin's requests are kept in a context variable for the signal
receiver (one request per thread or task, so no request sees another's).
"""

import contextvars

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState
from wagtail.signals import task_approved

_admin_request = contextvars.ContextVar("pioneer_admin_request", default=None)


class AdminRequestMiddleware:
    """Keeps the current admin request for ``approval_message``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/admin/"):
            return self.get_response(request)
        token = _admin_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _admin_request.reset(token)


def approval_message(sender, instance, user=None, **kwargs):
    request = _admin_request.get()
    if request is None or user is None or getattr(request, "user", None) != user:
        return  # not an approval made in the admin by this request's user
    workflow_state = WorkflowState.objects.get(pk=instance.workflow_state_id)
    page = workflow_state.content_object
    title = page.get_admin_display_title() if hasattr(page, "get_admin_display_title") else page
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        page.refresh_from_db()
        if getattr(page, "live", False) and not page.has_unpublished_changes:
            text = _("已批准并发布《%(title)s》。") % {"title": title}
        else:
            text = _("已批准《%(title)s》，审核流程已完成。") % {"title": title}
    else:
        next_task = workflow_state.current_task_state
        text = _("已批准《%(title)s》，已送交“%(task)s”。") % {
            "title": title,
            "task": next_task.task.name if next_task else "",
        }
    messages.success(request, text)


def register():
    task_approved.connect(approval_message, dispatch_uid="pioneer-approval-message")
