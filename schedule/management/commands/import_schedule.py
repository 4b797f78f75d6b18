"""``manage.py import_schedule FILE``: a broadcast platform's week (XMLTV or CSV) into the
schedule. The whole file is checked first; a file with bad lines imports nothing unless
``--skip-errors`` is given. See deploy/README.md, "The broadcast schedule's import"."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from schedule.importing import FORMATS, MAX_BYTES, import_schedule


def _date(value):
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"--week 应为日期，如 2026-12-07，而不是“{value}”")
    return day


class Command(BaseCommand):
    help = (
        "Import a broadcast schedule (XMLTV or CSV, UTF-8 or GB18030): the whole file is "
        "checked first and nothing is written when a line is bad, unless --skip-errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the XMLTV (.xml) or CSV (.csv) file")
        parser.add_argument(
            "--format", choices=FORMATS, help="the file's format (default: from its content)"
        )
        parser.add_argument(
            "--week",
            metavar="YYYY-MM-DD",
            help="any day of the week every slot must start in (default: the earliest slot's)",
        )
        parser.add_argument(
            "--skip-errors", action="store_true", help="import the good lines, list the bad ones"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file, format, week, skip_errors, dry_run, **options):
        week = _date(week) if week else None
        path = Path(file)
        try:
            with path.open("rb") as source:
                data = source.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error.strerror or error}") from error
        result = import_schedule(
            data, format=format, week=week, skip_errors=skip_errors, dry_run=dry_run
        )
        self.stdout.write(f"{path.name}：")
        for line in result.summary():
            self.stdout.write(line)
        if result.fatal:
            raise CommandError(
                "文件无法导入：\n" + "\n".join(str(problem) for problem in result.problems)
            )
        if result.problems and not skip_errors:
            raise CommandError(
                "文件有错误，没有导入任何节目；改正后重试，"
                "或加 --skip-errors 只导入没有错误的行：\n"
                + "\n".join(str(problem) for problem in result.problems)
            )
        if result.problems:
            self.stdout.write(f"跳过了这 {len(result.problems)} 行：")
            for problem in result.problems:
                self.stdout.write(str(problem))
        self.stdout.write("文件中没有的节目保持不变。")
