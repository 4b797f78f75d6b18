"""Accounts for the offices: one call makes a person an editor or reviewer of a region and
sends a Chinese invitation to set a password (Django's password-reset tokens)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from pioneer.core.offices import RegionRole

ROLE_NAMES = {
    "editor": RegionRole.Kind.EDITOR,
    "编辑": RegionRole.Kind.EDITOR,
    "reviewer": RegionRole.Kind.REVIEWER,
    "审核": RegionRole.Kind.REVIEWER,
    "approver": RegionRole.Kind.REVIEWER,  # the province's reviewers approve last
    "审批": RegionRole.Kind.REVIEWER,
}


class LoginForm(WagtailLoginForm):
    """Wagtail's login form names its password field by the field's name only, so the
    label read "Password" on the Chinese login page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("密码")


class AccountError(ValueError):
    """Input that names no office or role; the message is for the person who typed it."""


@dataclass
class Invitation:
    user: object
    group: object
    created: bool
    link: str


def office_group(region, role):
    kind = ROLE_NAMES.get(str(role).strip().lower())
    if kind is None:
        raise AccountError(f"未知的角色“{role}”：应为 editor（编辑）或 reviewer（审核）")
    found = RegionRole.objects.filter(region=region, kind=kind).select_related("group").first()
    if found is None:
        raise AccountError(f"{region.name}还没有{kind.label}用户组：请先运行 manage.py setup_site")
    return found.group


def password_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", args=(uid, token))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def invite(name, email, region, role, username=None):
    """Create (or find, by e-mail) the account, put it in the office's group, mail it."""
    User = get_user_model()
    email = (email or "").strip()
    if "@" not in email:
        raise AccountError(f"邮箱“{email}”不正确")
    group = office_group(region, role)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        username = (username or email).strip()
        if User.objects.filter(username=username).exists():
            raise AccountError(f"用户名“{username}”已被使用")
        user = User(username=username, email=email, first_name=name.strip()[:150])
        user.set_unusable_password()  # the invitation's link sets it
        user.save()
    user.groups.add(group)
    link = password_link(user)
    context = {
        "name": user.first_name or user.username,
        "username": user.username,
        "office": group.name,
        "link": link,
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_home"),
    }
    subject = render_to_string("pioneer/mail/invitation_subject.txt", context).strip()
    body = render_to_string("pioneer/mail/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return Invitation(user, group, created, link)
