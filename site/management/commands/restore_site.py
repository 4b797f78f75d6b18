import subprocess

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from pioneer.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = "Restore the database and media files from a backup folder made by backup_site."

    def add_arguments(self, parser):
        parser.add_argument("source")
        parser.add_argument(
            "--yes", action="store_true", help="really replace the current database"
        )

    def handle(self, *args, source, yes, **options):
        try:
            manifest = verify(source)
            if not yes:
                raise CommandError(
                    f"备份完好（{manifest['created']}，{len(manifest['media'])} 个媒体文件）。"
                    "恢复会替换当前数据库：确认请加 --yes"
                )
            restore(source)
        except (BackupError, OSError, subprocess.CalledProcessError) as error:
            raise CommandError(f"恢复失败：{error}") from error
        self.stdout.write(f"已从 {source} 恢复")
        if settings.SEARCH_URL:
            # The database backend's index came back with the database; an engine's
            # index still describes the site before the restore.
            self.stdout.write("正在重建搜索引擎索引……")
            call_command("update_index", stdout=self.stdout, verbosity=0)
