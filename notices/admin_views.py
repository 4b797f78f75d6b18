"""End a notice now: any editor of its office may, without review (a warning that no
longer holds must go at once). The live version gets the end time and is published as a
new revision, so the history says who ended it and when."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.log_actions import log

from notices.models import NoticePage


def may_end(user, notice):
    """Whether ``user`` may end ``notice`` now: it is live and not yet ended, and the user
    may edit it (its office, or an office above)."""
    return notice.live and not notice.has_ended() and notice.permissions_for_user(user).can_edit()


def end_now(request, page_id):
    notice = get_object_or_404(NoticePage, pk=page_id)
    if not may_end(request.user, notice):
        raise PermissionDenied
    if request.method == "POST":
        with transaction.atomic():
            now = timezone.now()
            live = NoticePage.objects.select_for_update().get(pk=notice.pk)
            live.ends_at = max(now, live.starts_at + datetime.timedelta(seconds=1))
            if live.starts_at > now:  # announced, never in force: it ends before it starts
                live.starts_at = now - datetime.timedelta(seconds=1)
                live.ends_at = now
            revision = live.save_revision(
                user=request.user, log_action=False, changed=True, clean=False
            )
            # Ending needs no right to publish: what this view allows, it checked above.
            revision.publish(user=request.user, log_action=False, skip_permission_checks=True)
            log(instance=live, action="notices.end_early", user=request.user, revision=revision)
        messages.success(request, _("预警“%(title)s”已结束。") % {"title": notice.title})
        return redirect("wagtailadmin_explore", notice.get_parent().pk)
    return TemplateResponse(
        request, "notices/admin/end_now.html", {"notice": notice, "page": notice}
    )
