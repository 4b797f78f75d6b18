import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from pioneer.core.models import Region
from pioneer.editorial.accounts import office_group

# One account per role along one chain: a lesson of 桐庐 goes county → city → province.
CHAIN = [
    ("tonglu-editor", "桐庐县编辑（演示）", "tonglu", "editor", "写课件、提交审核"),
    ("tonglu-reviewer", "桐庐县审核（演示）", "tonglu", "reviewer", "县级审核"),
    ("hangzhou-reviewer", "杭州市审核（演示）", "hangzhou", "reviewer", "市级审核"),
    ("zhejiang-approver", "浙江省审批（演示）", "zhejiang", "reviewer", "省级审批，发布"),
]


class Command(BaseCommand):
    help = "Create the demo's office accounts once and print their logins (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("演示账号只用于开发环境（DEBUG）")
        User = get_user_model()
        locale = Locale.objects.get(language_code="zh-hans")
        password_file = settings.VAR_DIR / "demo-accounts.txt"
        known = {}
        if password_file.exists():
            for line in password_file.read_text(encoding="utf-8").splitlines():
                username, _, password = line.partition(" ")
                known[username] = password
        for username, name, slug, role, does in CHAIN:
            group = office_group(Region.objects.get(locale=locale, slug=slug), role)
            user = User.objects.filter(username=username).first()
            if user is None:
                known[username] = secrets.token_urlsafe(9)
                user = User.objects.create_user(
                    username, f"{username}@example.org", known[username], first_name=name
                )
            user.groups.add(group)
            password = known.get(username, "（已自行设置，未记录）")
            self.stdout.write(f"  {group.name}（{does}）：用户名 {username}  密码 {password}")
        password_file.write_text("".join(f"{u} {p}\n" for u, p in known.items()), encoding="utf-8")
        password_file.chmod(0o600)
