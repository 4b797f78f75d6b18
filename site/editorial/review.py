"""A workflow stage reviewed by the office of the content's own county, city or province.

Wagtail's ``GroupApprovalTask`` lets any member of its groups approve any page. Here the
groups of a stage are all offices of one level (every county's reviewers, say), and of
those only the office the page belongs to may act: Tonglu's reviewers approve Tonglu's
lessons, not Anji's. Content that has no office at a stage's level (a city's own lesson
at the county stage) skips that stage, or, for a stage marked so, goes to its own
office's reviewers.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import AbstractGroupApprovalTask, TaskState

from pioneer import compat
from pioneer.core.offices import reviewers_of


def owning_region(obj):
    """The region a page belongs to; pages without one belong to the province."""
    from pioneer.core.models import Region

    region = getattr(obj.specific if hasattr(obj, "specific") else obj, "region", None)
    if region is None:
        locale_id = getattr(obj, "locale_id", None)
        province = Region.objects.filter(level=Region.Level.PROVINCE)
        region = province.filter(locale_id=locale_id).first() or province.first()
    return region


class RegionalApprovalTask(AbstractGroupApprovalTask):
    level = models.CharField(
        _("审核级别"),
        max_length=10,
        choices=[("county", _("县级")), ("city", _("市级")), ("province", _("省级"))],
    )
    fallback_to_owner = models.BooleanField(
        _("本级不适用时由所属单位审核"),
        default=False,
        help_text=_("不勾选时，不属于本级任何单位的内容（如市级课程遇到县级审核）直接跳过本环节"),
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + [
        "level",
        "fallback_to_owner",
    ]

    class Meta:
        verbose_name = _("分级审核")
        verbose_name_plural = _("分级审核")

    @classmethod
    def get_description(cls):
        return _("由内容所属县、市或省的审核组审核；所选用户组中只有该地区的审核员能操作")

    def reviewing_region(self, obj):
        """The office that reviews ``obj`` at this stage, or None to skip the stage."""
        own = owning_region(obj)
        region = own
        while region is not None:
            if region.level == self.level:
                return region
            region = region.parent
        return own if self.fallback_to_owner else None

    def reviewer_groups(self, obj):
        region = self.reviewing_region(obj)
        if region is None:
            return self.groups.none()
        return self.groups.filter(pk__in=reviewers_of(region))

    def user_can_review(self, obj, user):
        if user.is_superuser:
            return True
        if not user.is_active:
            return False
        cache = user.__dict__.setdefault("_regional_review_checks", {})
        key = (self.pk, obj.pk)
        if key not in cache:
            cache[key] = self.reviewer_groups(obj).filter(pk__in=user.groups.all()).exists()
        return cache[key]

    def start(self, workflow_state, user=None):
        obj = workflow_state.content_object
        if self.reviewing_region(obj) is None:
            state = self.get_task_state_class()(
                workflow_state=workflow_state,
                revision=obj.get_latest_revision(),
                task=self,
                status=TaskState.STATUS_SKIPPED,
                finished_at=timezone.now(),
                comment=str(_("本内容不属于该级别的单位，跳过")),
            )
            state.save()
            return state
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return self.user_can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_review(obj, user)

    def get_actions(self, obj, user):
        if not self.user_can_review(obj, user):
            return []
        return [
            ("reject", _("退回修改"), True),
            ("approve", _("通过"), False),
            ("approve", _("通过并留言"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        if not self.groups.filter(pk__in=user.groups.all()).exists():
            return TaskState.objects.none()
        mine = [
            state.pk
            for state in states.select_related("workflow_state")
            if self.user_can_review(state.workflow_state.content_object, user)
        ]
        return states.filter(pk__in=mine)


class RegionalSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Mail a submitted stage to the reviewers who can act on it, not to every office."""

    def get_recipient_users(self, task_state, **kwargs):
        task = task_state.task.specific
        if not isinstance(task, RegionalApprovalTask):
            return super().get_recipient_users(task_state, **kwargs)
        obj = task_state.workflow_state.content_object
        recipients = get_user_model().objects.filter(
            groups__in=task.reviewer_groups(obj), is_active=True
        )
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return recipients.distinct()


def register_notifier():
    """Take Wagtail's place for "task submitted" mails: ours mails only the reviewers who
    can act on the page (``compat.take_over_task_submitted_mail``)."""
    compat.take_over_task_submitted_mail(RegionalSubmissionNotifier())
