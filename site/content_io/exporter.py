"""Export of the site's live content in the import format (JSONL or CSV)."""

import csv
import json

from django.utils.html import strip_tags
from wagtail.models import Locale

from pioneer.content_io.records import ImportFileError, record_types
from pioneer.core.models import within_region
from pioneer.core.regions import find_region
from pioneer.core.spreadsheets import spreadsheet_safe

EXPORT_FIELDS = [
    "id", "type", "title", "summary", "body", "date", "region", "tags",
    "category", "duration_minutes", "producer", "audience", "doc_number", "doc_type", "issuer",
]  # fmt: skip


def _plain_body(page):
    paragraphs = []
    for block in page.body:
        if block.block_type == "paragraph":
            html = block.value.source.replace("</p>", "\n").replace("<br/>", "\n")
            paragraphs += [line.strip() for line in strip_tags(html).splitlines() if line.strip()]
    return "\n".join(paragraphs)


def export_records(types=None, region=None):
    """The site's live content in the import format, one dict per page."""
    from html import unescape

    locale = Locale.objects.get(language_code="zh-hans")
    for kind, record_type in record_types().items():
        if not record_type.exported or (types and kind not in types):
            continue
        model = record_type.get_model()
        queryset = model.objects.live().filter(locale=locale).prefetch_related("tags")
        if region:
            found = find_region(region, locale)
            if found is None:
                raise ImportFileError(f"未知的地区“{region}”")
            queryset = queryset.filter(within_region(found))
        queryset = queryset.select_related("region")
        for page in queryset.order_by("path"):
            row = {
                "id": page.source_id or f"page-{page.pk}",
                "type": kind,
                "title": page.title,
                "summary": page.summary,
                "body": unescape(_plain_body(page)),
                "tags": sorted(tag.name for tag in page.tags.all()),
                "region": page.region.slug if page.region else "",
            }
            record_type.export(page, row)  # the date and the type's own fields
            yield row


def write_jsonl(rows, out):
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows, out, fields=EXPORT_FIELDS):
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        row = dict(row)
        row["tags"] = ";".join(row.get("tags", []))
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
