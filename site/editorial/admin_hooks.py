"""Editorial's admin hooks: the dashboard panel of pages sent back to their author, and
the page choosers of the workflow form and the group editor labelled in Chinese."""

from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from pioneer import compat


class ChangesRequestedPanel(Component):
    """An author's pages sent back by a reviewer, with the reviewer's words, first thing
    on the dashboard (Wagtail's own panel names the stage but not the comment)."""

    name = "changes_requested"
    template_name = "pioneer/admin/changes_requested_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        from wagtail.models import WorkflowState

        user = parent_context["request"].user
        states = (
            WorkflowState.objects.filter(
                requested_by=user, status=WorkflowState.STATUS_NEEDS_CHANGES
            )
            .select_related("current_task_state__task", "current_task_state__finished_by")
            .order_by("-current_task_state__finished_at")[:20]
        )
        return {"states": [state for state in states if state.content_object is not None]}


@hooks.register("construct_homepage_panels")
def show_changes_requested(request, panels):
    panels.append(ChangesRequestedPanel())


def _label_page_choosers():
    """The workflow form's and the group editor's page choosers are labelled from their
    field name ("Page", read by screen readers), untranslatable; the model's translated
    name is used instead (capfirst keeps it lazy)."""
    compat.relabel_page_choosers(capfirst(Page._meta.verbose_name))


_label_page_choosers()
