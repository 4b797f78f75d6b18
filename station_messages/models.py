"""Messages from the stations (站点留言): a station manager's or a learner's question,
request or report to the office of their county (or city), its reply, and, with the
asker's consent, the question and answer published for the whole province.

A message is filed under its region in the source language (the regions of /en/ pages are
copies), so an office's scope (``pioneer.core.offices``) reads it whichever language it
came in. The phone number is personal data: only the region's editors see it (they are
the only ones who see the message at all), a published question never shows it, and
``manage.py purge_message_phones`` blanks it after ``STATION_MESSAGE_PHONE_DAYS``.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pioneer.caching import generation
from pioneer.core.models import Region

MAX_TEXT = 1000  # characters: a question, not a report of many pages
MAX_REPLY = 2000
MAX_PHONE = 20

# Loosely: a mobile number (11 digits from 1, with or without +86), or a landline with its
# area code (0 and 2-3 digits, then 7-8 digits, maybe an extension); spaces and hyphens
# as people write them are taken out first.
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^(?:\+?86)?0[1-9][0-9]{1,2}[0-9]{7,8}(?:(?:转|ext|#|-)[0-9]{1,6})?$")


def normalise_phone(value):
    """Half-width digits without spaces, hyphens or brackets between them, so one number
    is written one way (an extension keeps its separator)."""
    value = unicodedata.normalize("NFKC", str(value or "")).strip()
    main, sep, extension = value.partition("转")
    main = re.sub(r"[\s()\-]", "", main)
    extension = re.sub(r"\s", "", extension)
    return f"{main}{sep}{extension}" if sep else main


def validate_phone(value):
    value = normalise_phone(value)
    if value and not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(
            _("请填写手机号（11 位）或带区号的固定电话，例如 13800000000 或 0571-88888888。"),
            code="phone",
        )


class StationMessageQuerySet(models.QuerySet):
    def public(self):
        """The published questions and answers, newest answer first."""
        return self.filter(published=True).order_by("-published_at", "-pk")

    def phones_due(self, now=None):
        """Messages whose phone number is older than the retention period."""
        days = settings.STATION_MESSAGE_PHONE_DAYS
        cutoff = (now or timezone.now()) - timezone.timedelta(days=days)
        return self.filter(created_at__lt=cutoff).exclude(phone="")


class StationMessage(models.Model):
    class Topic(models.TextChoices):
        QUESTION = "question", _("咨询问题")
        COURSE = "course", _("课程点播")
        REPORT = "report", _("村情反映")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        NEW = "new", _("新留言")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")

    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        related_name="station_messages",
        limit_choices_to={"level__in": ["city", "county"]},
        help_text=_("留言发给哪个县（市、区）或市的远教办"),
    )
    topic = models.CharField(_("类别"), max_length=10, choices=Topic.choices)
    text = models.TextField(
        _("留言内容"), max_length=MAX_TEXT, validators=[MaxLengthValidator(MAX_TEXT)]
    )
    phone = models.CharField(
        _("联系电话"), max_length=MAX_PHONE, blank=True, validators=[validate_phone]
    )
    phone_removed_at = models.DateTimeField(_("电话删除时间"), null=True, blank=True)
    language = models.CharField(_("留言语言"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("留言时间"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    reply = models.TextField(
        _("答复"), max_length=MAX_REPLY, blank=True, validators=[MaxLengthValidator(MAX_REPLY)]
    )
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent_to_publish = models.BooleanField(
        _("同意公开"), default=False, help_text=_("留言人是否同意公开问题和答复（由留言人勾选）")
    )
    public_question = models.TextField(
        _("公开的问题"),
        max_length=MAX_TEXT,
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT)],
        help_text=_("公开时显示的问题：请删去姓名、电话、门牌号等个人信息"),
    )
    published = models.BooleanField(
        _("公开"), default=False, help_text=_("在“群众留言公开答复”中向全省公开这条问答")
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    objects = StationMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("站点留言")
        verbose_name_plural = _("站点留言")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["published", "-published_at"])]

    def __str__(self):
        # No text and no phone: this label shows in the admin's history and messages.
        created = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")
        return f"{self.region} · {self.get_topic_display()} · {created}"

    def save(self, *args, **kwargs):
        if self.pk is None and not self.public_question:
            self.public_question = self.text
        if self.published and self.published_at is None:
            self.published_at = timezone.now()
        elif not self.published:
            self.published_at = None
        was_public = (
            self.pk is not None
            and StationMessage.objects.filter(pk=self.pk, published=True).exists()
        )
        super().save(*args, **kwargs)
        if self.published or was_public:
            # The public list shows it: pages kept on the content generation are renewed,
            # and nginx's copies of the list (one per language) are purged.
            generation.bump()
            transaction.on_commit(purge_public_list)

    def delete(self, *args, **kwargs):
        was_public = self.published
        result = super().delete(*args, **kwargs)
        if was_public:
            generation.bump()
            transaction.on_commit(purge_public_list)
        return result

    def clean(self):
        super().clean()
        if self.region_id and self.region.level not in ("city", "county"):
            raise ValidationError({"region": _("请选择县（市、区）或市。")})
        if self.phone:
            self.phone = normalise_phone(self.phone)
        if self.pk is None and not self.public_question:
            self.public_question = self.text  # the office edits it before publishing
        if self.published:
            errors = {}
            if not self.consent_to_publish:
                errors["published"] = _("留言人没有同意公开，不能公开这条留言。")
            elif not self.reply.strip():
                errors["reply"] = _("请先填写答复，再公开。")
            elif self.status == self.Status.NEW:
                errors["status"] = _("请先把状态改为“已答复”，再公开。")
            if not self.public_question.strip():
                errors["public_question"] = _("公开前请填写公开的问题。")
            if errors:
                raise ValidationError(errors)

    @property
    def may_publish(self):
        return (
            self.consent_to_publish
            and bool(self.reply.strip())
            and bool(self.public_question.strip())
            and self.status != self.Status.NEW
        )

    def record_reply(self, user):
        """The reply's time and author, when a reply is first written or changed."""
        self.replied_at = timezone.now()
        self.replied_by = user if getattr(user, "is_authenticated", False) else None
        if self.status == self.Status.NEW:
            self.status = self.Status.ANSWERED

    def remove_phone(self, now=None):
        self.phone = ""
        self.phone_removed_at = now or timezone.now()


def purge_public_list():
    """The questions and answers' first page in each language, from the front cache (its
    other pages and filtered copies are renewed when nginx's short lifetime ends)."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache

    from pioneer.core.addresses import public_url

    if not get_backends():
        return
    urls = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            urls.append(public_url(reverse("station_messages:answers")))
    purge_urls_from_cache(urls)
