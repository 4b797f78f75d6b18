from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from pioneer.core.regions import find_region
from pioneer.editorial.accounts import AccountError, invite


class Command(BaseCommand):
    help = (
        "Give a person an office's editor or reviewer account and e-mail them a Chinese "
        "invitation to set their password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument("--email", required=True, help="邮箱（邀请发到这里）")
        parser.add_argument(
            "--office", required=True, help="地区：网址名、行政区划代码或名称，例如 桐庐县"
        )
        parser.add_argument(
            "--role", required=True, help="editor（编辑）或 reviewer（审核；省级为审批）"
        )
        parser.add_argument("--username", help="用户名（默认用邮箱）")

    def handle(self, *args, name, email, office, role, username, **options):
        locale = Locale.objects.filter(language_code="zh-hans").first()
        region = find_region(office, locale) if locale else None
        if region is None:
            raise CommandError(f"未知的地区“{office}”（可用网址名、行政区划代码或名称）")
        try:
            invitation = invite(name, email, region, role, username=username)
        except AccountError as error:
            raise CommandError(str(error)) from error
        state = "新建账号" if invitation.created else "已有账号"
        self.stdout.write(
            f"{state} {invitation.user.username}（{name}）→ {invitation.group.name}；"
            f"设置密码的邀请已发送到 {invitation.user.email}"
        )
