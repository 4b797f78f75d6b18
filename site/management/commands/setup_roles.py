from django.core.management.base import BaseCommand
from wagtail.models import Locale

from pioneer.editorial.role_setup import setup_roles


class Command(BaseCommand):
    help = "Create the offices' groups, permissions and review workflows (idempotent)."

    def handle(self, *args, **options):
        locale = Locale.get_default()
        count = setup_roles(locale)
        self.stdout.write(f"审核分组：{count} 个用户组，审核流程已就绪")
