import subprocess

from django.core.management.base import BaseCommand, CommandError

from pioneer.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every media file into a new folder under DIRECTORY."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            target = backup(directory)
        except (BackupError, OSError, subprocess.CalledProcessError) as error:
            raise CommandError(f"备份失败：{error}") from error
        self.stdout.write(f"备份完成：{target}")
