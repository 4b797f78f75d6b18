"""Bulk import and export of the central resource library (DESIGN.md contract 1).

A file (JSON lines or CSV, UTF-8 or GB18030) is read and validated whole before anything
is written; every bad line is named with its number and reason. Records are upserted by
(type, id): a new record becomes a page under the right index, a changed one a new
revision of its page, an unchanged one is left alone. Each batch is one transaction, so
an interrupted import leaves no half-written page and a rerun carries on.
"""

import csv
import datetime
import io
import json
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.synctree import create_aliases_for_new_page

from lessons.functions import FUNCTION_SLUGS, parse_function
from lessons.models import LessonIndexPage, LessonPage
from news import docnumbers
from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage, regional_news_index
from pioneer.models import Region

TYPES = {"lesson": LessonPage, "news": NewsPage, "policy": PolicyPage}
BATCH = 200
CSV_LIST_SEPARATORS = (";", "；", "，", ",", "、")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, format)."""


@dataclass
class Record:
    line: int
    raw: str
    data: dict
    errors: list = field(default_factory=list)


def decode(content):
    """Text of an uploaded file: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文件编码无法识别：请使用 UTF-8 或 GB18030")


def _split_list(value):
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "")
    for separator in CSV_LIST_SEPARATORS[1:]:
        text = text.replace(separator, CSV_LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(CSV_LIST_SEPARATORS[0]) if part.strip()]


def parse(text, name=""):
    """Records of a JSONL or CSV text; lines that are not records carry their error."""
    records = []
    if name.lower().endswith(".csv") or (not name and text.lstrip().startswith("id,")):
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise ImportFileError("CSV 文件第一行应为列名，且包含 id 列")
        for number, row in enumerate(reader, start=2):
            data = {key: (value or "").strip() for key, value in row.items() if key}
            for key in ("tags", "attachments"):
                if key in data:
                    data[key] = _split_list(data[key])
            records.append(
                Record(number, ",".join(row.get(k) or "" for k in reader.fieldnames), data)
            )
        return records
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            records.append(Record(number, line, {}, [f"不是有效的 JSON：{error.msg}"]))
            continue
        if not isinstance(data, dict):
            records.append(Record(number, line, {}, ["每行应是一个 JSON 对象"]))
            continue
        records.append(Record(number, line, data))
    return records


class Importer:
    def __init__(self, media_dir=None, draft=False, user=None, stdout=None):
        self.media_dir = Path(media_dir) if media_dir else None
        self.draft = draft
        self.user = user
        self.stdout = stdout or sys.stdout
        self.locale = Locale.objects.get(language_code="zh-hans")
        self.regions = {}
        for region in Region.objects.filter(locale=self.locale):
            for key in {region.slug, region.name, region.short_name}:
                if key:
                    self.regions[key] = region
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}

    # --- validation ----------------------------------------------------------------

    def validate(self, records):
        """Fill each record's ``errors`` and its ``clean`` values; whole-file checks too."""
        seen_ids, seen_numbers = {}, {}
        for record in records:
            if record.errors:
                continue
            clean, errors = self._clean(record.data)
            record.errors = errors
            record.clean = clean
            if errors:
                continue
            key = (clean["type"], clean["id"])
            if key in seen_ids:
                record.errors.append(f"id {clean['id']} 与第 {seen_ids[key]} 行重复")
            seen_ids[key] = record.line
            number = clean.get("doc_number")
            if number:
                if number in seen_numbers:
                    record.errors.append(f"文号 {number} 与第 {seen_numbers[number]} 行重复")
                seen_numbers[number] = record.line
                clash = (
                    PolicyPage.objects.filter(locale=self.locale, doc_number=number)
                    .exclude(source_id=clean["id"])
                    .first()
                )
                if clash:
                    record.errors.append(f"文号 {number} 已被《{clash.title}》使用")
        return [r for r in records if r.errors]

    def _clean(self, data):
        errors, clean = [], {}
        kind = str(data.get("type", "")).strip()
        if kind not in TYPES:
            errors.append(f"未知的类型“{kind}”（应为 lesson、news 或 policy）")
        clean["type"] = kind
        source_id = str(data.get("id", "")).strip()
        if not source_id:
            errors.append("缺少 id")
        elif len(source_id) > 64:
            errors.append("id 超过 64 个字符")
        clean["id"] = source_id
        title = str(data.get("title", "")).strip()
        if not title:
            errors.append("缺少标题（title）")
        elif len(title) > 255:
            errors.append("标题超过 255 个字符")
        clean["title"] = title
        clean["body"] = str(data.get("body", "") or "")
        # Pages need a summary; a record without one gets the start of its body.
        summary = str(data.get("summary", "") or "").strip()
        clean["summary"] = (summary or " ".join(clean["body"].split())[:120] or title)[:300]
        raw_date = str(data.get("date", "") or "").strip()
        try:
            clean["date"] = (
                datetime.date.fromisoformat(raw_date[:10]) if raw_date else timezone.localdate()
            )
        except ValueError:
            errors.append(f"日期“{raw_date}”格式不正确（应为 2026-03-01）")
        region = str(data.get("region", "") or "").strip()
        clean["region"] = None
        if region:
            clean["region"] = self.regions.get(region) or self.regions.get(
                region.removesuffix("市").removesuffix("县")
            )
            if clean["region"] is None:
                errors.append(f"未知的地区“{region}”")
        tags = data.get("tags", [])
        if not isinstance(tags, list | str):
            errors.append("tags 应为列表")
            tags = []
        clean["tags"] = _split_list(tags)[:20]
        if kind == "lesson":
            function = parse_function(data.get("category", ""))
            if function is None:
                errors.append(f"未知的功能分类“{data.get('category', '')}”")
            clean["function"] = function.value if function else ""
            duration = data.get("duration_minutes", "")
            clean["duration_minutes"] = None
            if duration not in ("", None):
                try:
                    clean["duration_minutes"] = int(duration)
                    if not 0 <= clean["duration_minutes"] <= 10_000:
                        raise ValueError
                except (TypeError, ValueError):
                    errors.append(f"时长“{duration}”应为分钟数")
            clean["producer"] = str(data.get("producer", "") or "")[:100]
            clean["audience"] = str(data.get("audience", "") or "")[:100]
        if kind == "news":
            clean["source"] = str(data.get("source", "") or data.get("issuer", "") or "")[:100]
        if kind == "policy":
            number = str(data.get("doc_number", "") or "").strip()
            clean["doc_number"] = ""
            if number:
                clean["doc_number"] = docnumbers.normalise(number) or ""
                if not clean["doc_number"]:
                    errors.append(f"文号“{number}”格式不正确")
            clean["issuer"] = str(data.get("issuer", "") or "").strip()[:200]
            if not clean["issuer"]:
                errors.append("政策文件缺少发文机关（issuer）")
            doc_type = str(data.get("doc_type", "") or "notice").strip()
            types = {v: v for v in PolicyPage.DocType.values}
            with translation.override("zh-hans"):
                types.update({str(label): value for value, label in PolicyPage.DocType.choices})
            if doc_type not in types:
                errors.append(f"未知的文件类型“{doc_type}”")
            clean["doc_type"] = types.get(doc_type, "notice")
        clean["files"] = []
        for name in ["image", *(_split_list(data.get("attachments", [])))]:
            value = data.get(name) if name == "image" else name
            if not value:
                continue
            if self.media_dir is None:
                errors.append(f"文件“{value}”需要用 --media-dir 指明所在目录")
                continue
            path = (self.media_dir / str(value)).resolve()
            if self.media_dir.resolve() not in path.parents or not path.is_file():
                errors.append(f"找不到文件“{value}”")
                continue
            clean["files"].append((name == "image", path))
        return clean, errors

    # --- writing -------------------------------------------------------------------

    def _parent(self, clean):
        if clean["type"] == "lesson":
            return LessonIndexPage.objects.get(
                locale=self.locale, slug=FUNCTION_SLUGS[clean["function"]]
            )
        if clean["type"] == "policy":
            return PolicyIndexPage.objects.get(locale=self.locale, slug="policies")
        news = NewsIndexPage.objects.get(locale=self.locale, slug="news")
        region = clean["region"]
        if region is None:
            return news
        return regional_news_index(region, news)

    def _body(self, clean, files):
        paragraphs = [p.strip() for p in clean["body"].replace("\r", "").split("\n") if p.strip()]
        html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        body = [("paragraph", RichText(html))] if html else []
        for document in files:
            body.append(("attachment", {"document": document, "title": ""}))
        return body

    def _files(self, clean):
        from django.core.files import File
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        image, documents = None, []
        for is_image, path in clean["files"]:
            model = get_image_model() if is_image else get_document_model()
            existing = model.objects.filter(title=f"{clean['id']}:{path.name}").first()
            if existing is None:
                with path.open("rb") as handle:
                    existing = model(
                        title=f"{clean['id']}:{path.name}", file=File(handle, name=path.name)
                    )
                    if is_image:
                        existing._set_image_file_metadata()
                    else:
                        existing._set_document_file_metadata()
                    existing.save()
            if is_image:
                image = existing
            else:
                documents.append(existing)
        return image, documents

    def _fields(self, clean, image, documents):
        values = {
            "title": clean["title"],
            "summary": clean["summary"],
            "body": self._body(clean, documents),
        }
        if clean["type"] == "lesson":
            values.update(
                function=clean["function"],
                date=clean["date"],
                region=clean["region"],
                duration_minutes=clean["duration_minutes"],
                producer=clean["producer"],
                audience=clean["audience"],
            )
            if image is not None:
                values["cover"] = image
        elif clean["type"] == "news":
            values.update(date=clean["date"], region=clean["region"], source=clean["source"])
        else:
            values.update(
                issue_date=clean["date"],
                doc_number=clean["doc_number"],
                issuer=clean["issuer"],
                doc_type=clean["doc_type"],
                region=clean["region"],
            )
        return values

    @staticmethod
    def _same(page, values, tags):
        for name, value in values.items():
            current = getattr(page, name)
            if name == "body":
                if _signature(current) != _signature(value):
                    return False
            elif current != value:
                return False
        return sorted(t.name for t in page.tags.all()) == sorted(tags)

    def write(self, record):
        clean = record.clean
        model = TYPES[clean["type"]]
        image, documents = self._files(clean)
        values = self._fields(clean, image, documents)
        page = model.objects.filter(locale=self.locale, source_id=clean["id"]).first()
        if page is None:
            page = model(slug=_slug(clean), source_id=clean["id"], live=not self.draft, **values)
            page.tags.add(*clean["tags"])
            self._parent(clean).add_child(instance=page)
            revision = page.save_revision(user=self.user, log_action=True)
            self._finish(page, revision)
            # As when an editor adds a page: synchronised locales get an alias of it.
            create_aliases_for_new_page(page)
            self.counts["created"] += 1
            return
        latest = page.get_latest_revision_as_object()
        if self._same(latest, values, clean["tags"]):
            self.counts["unchanged"] += 1
            return
        for name, value in values.items():
            setattr(latest, name, value)
        latest.tags.set(clean["tags"])
        if isinstance(latest, PolicyPage):
            latest.change_note = "资源库批量导入更新"
        revision = latest.save_revision(user=self.user, log_action=True)
        self._finish(latest, revision)
        self.counts["updated"] += 1

    def _finish(self, page, revision):
        if not self.draft:
            revision.publish(user=self.user)
            return
        workflow = page.get_workflow()
        if workflow is not None and self.user is not None:
            workflow.start(page, self.user)

    def plan(self, records):
        """What importing the valid records would do: create, update or leave alone."""
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for record in records:
            if record.errors:
                continue
            clean = record.clean
            model = TYPES[clean["type"]]
            page = model.objects.filter(locale=self.locale, source_id=clean["id"]).first()
            if page is None:
                counts["create"] += 1
                continue
            values = self._fields({**clean, "files": []}, None, [])
            latest = page.get_latest_revision_as_object()
            if clean["files"] or not self._same(latest, values, clean["tags"]):
                counts["update"] += 1
            else:
                counts["unchanged"] += 1
        return counts

    def run(self, records, progress=None):
        valid = [r for r in records if not r.errors]
        for start in range(0, len(valid), BATCH):
            with transaction.atomic(), deferred_indexing() as touched:
                for record in valid[start : start + BATCH]:
                    self.write(record)
                index_now(touched)
            if progress:
                progress(min(start + BATCH, len(valid)), len(valid))
        self.counts["skipped"] = len(records) - len(valid)
        return self.counts


def _signature(blocks):
    """What an imported body says: its paragraphs' text and its attachments."""
    signature = []
    for block in blocks:
        kind, value = (block.block_type, block.value) if hasattr(block, "block_type") else block
        if kind == "paragraph":
            signature.append(("p", strip_tags(value.source)))
        elif kind == "attachment":
            signature.append(("a", value["document"].pk))
    return signature


def _slug(clean):
    from django.utils.text import slugify

    return slugify(f"{clean['type']}-{clean['id']}")[:70] or "item"


@contextmanager
def deferred_indexing():
    """Within a batch, note the pages saved instead of indexing each save (a page is
    saved three times on its way to publication); ``index_now`` indexes them once."""
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler

    touched = set()

    def note(sender, instance, **kwargs):
        touched.add((type(instance), instance.pk))

    models = list(TYPES.values())
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
        post_save.connect(note, sender=model, weak=False)
    try:
        yield touched
    finally:
        for model in models:
            post_save.disconnect(note, sender=model)
            post_save.connect(post_save_signal_handler, sender=model)


def index_now(touched):
    """Index the noted pages, one bulk call per model and backend."""
    from modelsearch.index import get_indexed_instance
    from wagtail.search.backends import get_search_backends

    by_model = {}
    for model, pk in touched:
        indexed = get_indexed_instance(model.objects.get(pk=pk))
        if indexed is not None:
            by_model.setdefault(model, []).append(indexed)
    for backend in get_search_backends(with_auto_update=True):
        for model, pages in by_model.items():
            try:
                backend.add_bulk(model, pages)
            except Exception:
                if not backend.catch_indexing_errors:
                    raise
                for page in pages:  # an engine down: record each, replayed on recovery
                    if hasattr(backend, "_record"):
                        backend._record(page, "add", "engine unavailable during import")


class Progress:
    """A bar on a terminal (tqdm), a plain line every few seconds otherwise."""

    def __init__(self, stream, total):
        self.stream, self.total, self.last = stream, total, 0.0
        self.bar = None
        if getattr(stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="条", file=stream)

    def __call__(self, done, total):
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif time.monotonic() - self.last > 2 or done == total:
            self.last = time.monotonic()
            self.stream.write(f"已处理 {done}/{total}\n")

    def close(self):
        if self.bar is not None:
            self.bar.close()


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
    for kind, model in TYPES.items():
        if types and kind not in types:
            continue
        queryset = model.objects.live().filter(locale=locale).prefetch_related("tags")
        if region:
            queryset = queryset.filter(region__slug=region)
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
            if kind == "policy":
                row.update(
                    date=page.issue_date.isoformat(),
                    doc_number=page.doc_number,
                    doc_type=page.doc_type,
                    issuer=page.issuer,
                )
            else:
                row["date"] = page.date.isoformat()
            if kind == "lesson":
                row.update(
                    category=page.function,
                    duration_minutes=page.duration_minutes,
                    producer=page.producer,
                    audience=page.audience,
                )
            if kind == "news":
                row["issuer"] = page.source
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
        writer.writerow(row)
