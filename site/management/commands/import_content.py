import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pioneer.content_io import Importer, ImportFileError, Progress, file_encoding, iter_records
from pioneer.site_setup import missing_structure


class Command(BaseCommand):
    help = "Import lessons, news and policy documents from a JSONL or CSV file (contract 1)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--media-dir", help="folder that image and attachment paths are in")
        parser.add_argument("--draft", action="store_true", help="save drafts, do not publish")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid lines and write the others to a report file",
        )
        parser.add_argument("--report", help="where skipped lines go (default FILE.skipped.jsonl)")

    def handle(self, *args, file, media_dir, draft, skip_invalid, report, **options):
        path = Path(file)
        missing = missing_structure()
        if missing:
            raise CommandError(
                f"站点结构尚未建立（缺少{'、'.join(missing)}）："
                "请先运行 python manage.py setup_site"
            )
        importer = Importer(media_dir=media_dir, draft=draft, stdout=self.stdout)
        # Read twice, a line at a time: validation of the whole file, then the import.
        try:
            encoding = file_encoding(path)
            with path.open(encoding=encoding, newline="") as lines:
                bad = importer.validate(iter_records(lines, path.name))
        except (OSError, ImportFileError) as error:
            raise CommandError(str(error)) from error
        total = importer.checked
        self.stdout.write(f"{path.name}（{encoding}）：{total} 条，{len(bad)} 条有错误")
        for record in bad:
            self.stderr.write(f"第 {record.line} 行：{'；'.join(record.errors)}")
        if bad and not skip_invalid:
            raise CommandError("文件有错误，未导入任何内容；改正后重试，或加 --skip-invalid")
        if bad:
            report_path = Path(report or f"{path}.skipped.jsonl")
            with report_path.open("w", encoding="utf-8") as out:
                for record in bad:
                    row = {"line": record.line, "errors": record.errors, "raw": record.raw}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.stdout.write(f"跳过的 {len(bad)} 行已写入 {report_path}")
        progress = Progress(self.stdout, total - len(bad))
        try:
            with path.open(encoding=encoding, newline="") as lines:
                counts = importer.run(iter_records(lines, path.name), progress, total - len(bad))
        finally:
            progress.close()
        if counts["created"] == counts["updated"] == 0:
            self.stdout.write(f"没有变化：{counts['unchanged']} 条与站内内容相同")
        self.stdout.write(
            self.style.SUCCESS(
                f"新建 {counts['created']}，更新 {counts['updated']}，"
                f"未变 {counts['unchanged']}，跳过 {counts['skipped']}"
            )
        )
