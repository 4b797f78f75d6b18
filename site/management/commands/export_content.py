import sys

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from pioneer.content_io import TYPES, export_records, write_csv, write_jsonl
from pioneer.core.regions import find_region


class Command(BaseCommand):
    help = "Export live content in the import format (JSONL or CSV); re-importing reproduces it."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--type", action="append", choices=list(TYPES), dest="types")
        parser.add_argument(
            "--region",
            help="region slug, code or name: it and the regions below it (lessons, news)",
        )
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, format, types, region, output, **options):
        if (
            region
            and find_region(region, Locale.objects.filter(language_code="zh-hans").first()) is None
        ):
            raise CommandError(f"未知的地区“{region}”")
        rows = export_records(types=types, region=region)
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            (write_csv if format == "csv" else write_jsonl)(rows, out)
        finally:
            if output:
                out.close()
