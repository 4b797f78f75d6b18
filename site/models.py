"""The ``pioneer`` app's models, where Django looks for them: the base layer's models
(``pioneer.core.models``, re-exported here, registered first as before), the import jobs,
and the editorial roles and review stage. ``import_storage`` must stay importable from
here: migration 0004 names ``pioneer.models.import_storage``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pioneer.core.models import (  # noqa: F401 - re-exported
    Region,
    SiteSettings,
    SiteText,
    TaggedPageBase,
    Topic,
    topic_labels,
    within_region,
)


def import_storage():
    """Where import uploads are kept: a storage no URL reaches (settings.STORAGES)."""
    from django.core.files.storage import storages

    return storages["imports"]


class ImportJob(models.Model):
    """One upload on the admin's import page: validated, previewed, then run.

    The uploaded file may hold content meant to enter review as drafts: it is kept in the
    private ``imports`` storage, only until the job has run or cannot run any more, and at
    most ``IMPORT_UPLOAD_RETENTION_HOURS`` for a preview nobody confirms
    (``pioneer.import_jobs.clean_import_uploads``). The name stays, for the job's page.
    """

    class Status(models.TextChoices):
        VALIDATED = "validated", _("待确认")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    file = models.FileField(_("文件"), upload_to="imports/", storage=import_storage)
    draft = models.BooleanField(_("存为草稿"), default=False)
    skip_invalid = models.BooleanField(_("跳过有错误的行"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALIDATED)
    encoding = models.CharField(max_length=20, blank=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    plan = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file.name} ({self.status})"

    @property
    def expired(self):
        """A preview left unconfirmed past the retention period: its file is gone."""
        from datetime import timedelta

        from django.conf import settings
        from django.utils import timezone

        hours = settings.IMPORT_UPLOAD_RETENTION_HOURS
        return (
            self.status == self.Status.VALIDATED
            and self.created_at is not None
            and self.created_at < timezone.now() - timedelta(hours=hours)
        )

    @property
    def can_run(self):
        return (
            self.status == self.Status.VALIDATED
            and (not self.errors or self.skip_invalid)
            and not self.expired
        )


# Editorial roles and the regional review stage live in their own modules; importing
# them here registers their models with this app.
from pioneer.core.offices import RegionRole  # noqa: E402, F401
from pioneer.editorial.review import RegionalApprovalTask  # noqa: E402, F401
