"""Bulk import and export of the central resource library (DESIGN.md contract 1).

A file (JSON lines or CSV, UTF-8 or GB18030) is validated whole before anything is
written; every bad line is named with its number and reason. The command reads a file
twice, a line at a time (validation, then the import), so memory stays flat however
large the file. Records are upserted by
(type, id): a new record becomes a page under the right index, a changed one a new
revision of its page, an unchanged one is left alone. Each batch is one transaction, so
an interrupted import leaves no half-written page and a rerun carries on.
"""

import datetime
import itertools
import sys
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.html import escape, strip_tags
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Revision, TranslatableMixin
from wagtail.rich_text import RichText
from wagtail.signals import copy_for_translation_done, page_published, published

from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage, SeriesMember
from news.models import (
    NewsIndexPage,
    PolicyIndexPage,
    PolicyPage,
    PolicyRelation,
    regional_news_index,
)
from pioneer import compat
from pioneer.caching.front_cache import gathered_purges
from pioneer.compat import ALIAS_EXCLUDED_FIELDS
from pioneer.content_io.bulk import _Slugs, _Tree, _update_pages, deferred_indexing
from pioneer.content_io.records import (
    FILE_BLOCKS,
    RECORD_TYPES,
    SERIES,
    SLUG,
    SLUG_LENGTH,
    TYPES,
    _clean_blocks,
    _clean_members,
    _clean_relations,
    _split_list,
)
from pioneer.core.five_functions import FUNCTION_SLUGS, parse_function
from pioneer.core.media import MEDIA_TYPES, VIDEO
from pioneer.core.regions import find_region
from pioneer.core.text import docnumbers

BATCH = 200
PLAN_LISTED = 200  # pages named in the admin's preview (the counts cover them all)
LOOK_UP = object()


class Importer:
    def __init__(self, media_dir=None, draft=False, user=None, stdout=None):
        self.media_dir = Path(media_dir) if media_dir else None
        self.draft = draft
        self.user = user
        self.stdout = stdout or sys.stdout
        self.locale = Locale.objects.get(language_code="zh-hans")
        self.regions = {}  # what a record names -> region (or None), looked up once
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
        self.bad_lines = set()  # lines that validate found wrong: run skips them
        self.checked = 0  # records validate saw
        # Looked up once per import: parent indexes, their translations, synchronised locales.
        self._parents, self._translated, self._sync, self._topics = {}, {}, {}, {}

    # --- validation ----------------------------------------------------------------

    def validate(self, records):
        """Fill each record's ``errors`` and its ``clean`` values; whole-file checks too.
        Returns the bad records; ``records`` may be a stream (only ids, document numbers
        and bad records are kept)."""
        seen_ids, seen_numbers, bad = {}, {}, []
        for record in records:
            self.checked += 1
            if record.errors:
                bad.append(record)
                continue
            clean, errors = self._clean(record.data)
            record.errors = errors
            record.clean = clean
            if errors:
                bad.append(record)
                continue
            key = (clean["type"], clean["id"])
            if key in seen_ids:
                record.errors.append(f"id {clean['id']} 与第 {seen_ids[key]} 行重复")
            seen_ids[key] = record.line
            for target in clean.get("relations") or []:
                known = ("policy", target[1]) in seen_ids
                if (
                    not known
                    and not PolicyPage.objects.filter(
                        locale=self.locale, source_id=target[1]
                    ).exists()
                ):
                    record.errors.append(f"关联文件 id“{target[1]}”不在本文件前面，也不在网站上")
            for lesson in clean.get("lessons") or []:
                if ("lesson", lesson) not in seen_ids and not LessonPage.objects.filter(
                    locale=self.locale, source_id=lesson
                ).exists():
                    record.errors.append(f"专题中的课程 id“{lesson}”不在本文件前面，也不在网站上")
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
            if record.errors:
                bad.append(record)
        self.bad_lines = {record.line for record in bad}
        return bad

    def _clean(self, data):
        errors, clean = [], {}
        kind = str(data.get("type", "")).strip()
        if kind not in RECORD_TYPES:
            errors.append(f"未知的类型“{kind}”（应为 lesson、news、policy 或 series）")
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
        clean["slug"] = ""
        slug = str(data.get("slug", "") or "").strip()
        if slug:
            if len(slug) > SLUG_LENGTH or not SLUG.fullmatch(slug):
                errors.append(f"网址名“{slug[:80]}”只能用小写字母、数字和连字符，最长 70 个字符")
            else:
                clean["slug"] = slug
        clean["body"] = str(data.get("body", "") or "")
        # None when the record has no "blocks" key: its body's other blocks stay out of
        # the comparison with the page (an editor's quote is no change to the record).
        clean["blocks"] = _clean_blocks(data["blocks"], kind, errors) if "blocks" in data else None
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
            if region not in self.regions:
                self.regions[region] = find_region(region, self.locale)
            clean["region"] = self.regions[region]
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
        if kind == SERIES:
            function = parse_function(data.get("category", ""))
            if function is None:
                errors.append(f"未知的功能分类“{data.get('category', '')}”")
            clean["function"] = function.value if function else ""
            clean["lessons"] = _clean_members(data.get("lessons"), errors)
            if clean["tags"]:
                errors.append("专题没有话题（tags）")
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
            # Optional (README): given, they are the page's; absent, left as they are.
            clean["policy_extra"] = {}
            raw_effective = data.get("effective_date")
            if raw_effective is not None:
                try:
                    effective = str(raw_effective).strip()
                    clean["policy_extra"]["effective_date"] = (
                        datetime.date.fromisoformat(effective[:10]) if effective else None
                    )
                except ValueError:
                    errors.append(f"施行日期“{raw_effective}”格式不正确（应为 2026-03-01）")
            raw_status = data.get("status")
            if raw_status is not None:
                statuses = {v: v for v in PolicyPage.Status.values}
                with translation.override("zh-hans"):
                    statuses.update(
                        {str(label): value for value, label in PolicyPage.Status.choices}
                    )
                if str(raw_status).strip() not in statuses:
                    errors.append(f"未知的文件状态“{raw_status}”")
                else:
                    clean["policy_extra"]["status"] = statuses[str(raw_status).strip()]
            clean["relations"] = None
            if data.get("relations") is not None:
                clean["relations"] = _clean_relations(data["relations"], clean["id"], errors)
            if data.get("change_note") is not None:
                note = str(data.get("change_note") or "").strip()
                limit = PolicyPage._meta.get_field("change_note").max_length
                if len(note) > limit:
                    errors.append(f"修订说明超过 {limit} 个字符")
                clean["policy_extra"]["change_note"] = note[:limit]
        # (role, path, library title or "" for "<id>:<file name>"); role is "image",
        # "attachment" (the attachments list) or "block" (a file block of ``blocks``).
        clean["files"] = []
        image, image_title = data.get("image"), ""
        if isinstance(image, dict):
            image_title = str(image.get("name", "") or "").strip()[:255]
            image = image.get("file")
        if image:
            path = self._media_path(image, errors)
            if path is not None:
                clean["files"].append(("image", path, image_title))
        for value in _split_list(data.get("attachments", [])):
            path = self._media_path(value, errors)
            if path is not None:
                clean["files"].append(("attachment", path, ""))
        for block in clean["blocks"] or []:
            if block["type"] in FILE_BLOCKS:
                block["path"] = self._media_path(block["file"], errors)
                if block["path"] is not None:
                    clean["files"].append(("block", block["path"], block["name"]))
        if kind == SERIES and any(role != "image" for role, _path, _title in clean["files"]):
            errors.append("专题只有封面图（image），没有附件")
        return clean, errors

    def _media_path(self, value, errors):
        """A file a record names, under ``--media-dir``; None (and an error) otherwise."""
        if self.media_dir is None:
            errors.append(f"文件“{value}”需要用 --media-dir 指明所在目录")
            return None
        path = (self.media_dir / str(value)).resolve()
        if self.media_dir.resolve() not in path.parents or not path.is_file():
            errors.append(f"找不到文件“{value}”")
            return None
        return path

    # --- writing -------------------------------------------------------------------

    def _parent(self, clean):
        """The index a new page goes under; looked up once per import."""
        if clean["type"] in ("lesson", SERIES):
            key = ("lesson", clean["function"])
        elif clean["type"] == "policy":
            key = ("policy",)
        else:
            key = ("news", clean["region"].pk if clean["region"] else None)
        if key not in self._parents:
            self._parents[key] = self._find_parent(clean)
        return self._parents[key]

    def _find_parent(self, clean):
        if clean["type"] in ("lesson", SERIES):
            return LessonIndexPage.objects.get(
                locale=self.locale, slug=FUNCTION_SLUGS[clean["function"]]
            )
        if clean["type"] == "policy":
            return PolicyIndexPage.objects.get(locale=self.locale, slug="policies")
        region = clean["region"]
        news = NewsIndexPage.objects.get(locale=self.locale, slug="news")
        if region is None:
            return news
        existing = NewsIndexPage.objects.filter(locale=self.locale, region=region).first()
        if existing is not None:
            return existing
        # A new section (and its city's, for a county): made the usual way, then given
        # English aliases as the import's own pages are.
        self._tree.flush()  # add_child below counts on numchild
        before = set(NewsIndexPage.objects.values_list("pk", flat=True))
        section = regional_news_index(region, news)
        for created in NewsIndexPage.objects.exclude(pk__in=before).order_by("path"):
            self._create_aliases(created)
        return section

    def _body(self, clean, files, poster=None, by_path=None):
        paragraphs = [p.strip() for p in clean["body"].replace("\r", "").split("\n") if p.strip()]
        html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        body = [("paragraph", RichText(html))] if html else []
        for block in clean.get("blocks") or []:
            if block["type"] not in FILE_BLOCKS:
                body.append(_text_block(block))
            elif by_path and block["path"] in by_path:  # files are not read for a preview
                body.append(_file_block_of(block, by_path[block["path"]], poster))
        for document in files:
            body.append(_file_block(clean["type"], document, poster))
        return body

    def _files(self, clean):
        from django.core.files import File
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        image, documents, by_path = None, [], {}
        for role, path, title in clean["files"]:
            model = get_image_model() if role == "image" else get_document_model()
            title = title or f"{clean['id']}:{path.name}"
            existing = model.objects.filter(title=title).first()
            if existing is None:
                with path.open("rb") as handle:
                    existing = model(title=title, file=File(handle, name=path.name))
                    compat.set_file_metadata(existing)
                    existing.save()
            if role == "image":
                image = existing
            elif role == "attachment":
                documents.append(existing)
            else:
                by_path[path] = existing
        return image, documents, by_path

    def _fields(self, clean, image, documents, by_path=None):
        values = {
            "title": clean["title"],
            "summary": clean["summary"],
            "body": self._body(clean, documents, poster=image, by_path=by_path),
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
                **clean.get("policy_extra", {}),
            )
            if clean.get("relations") is not None:
                targets = {
                    page.source_id: page
                    for page in PolicyPage.objects.filter(
                        locale=self.locale, source_id__in=[t for _k, t in clean["relations"]]
                    )
                }
                values["relations"] = [
                    PolicyRelation(kind=kind, target=targets[target], sort_order=order)
                    for order, (kind, target) in enumerate(clean["relations"])
                    if target in targets  # a preview: not imported yet
                ]
        return values

    @staticmethod
    def _same(page, values, tags, structured=False):
        for name, value in values.items():
            current = getattr(page, name)
            if name == "body":
                if _signature(current, structured) != _signature(value, structured):
                    return False
            elif name == "relations":
                now = [(r.kind, r.target_id, r.sort_order) for r in current.all()]
                if now != [(r.kind, r.target.pk, r.sort_order) for r in value]:
                    return False
            elif current != value:
                return False
        return sorted(t.name for t in page.tags.all()) == sorted(tags)

    def write(self, record, page=LOOK_UP):
        """Upsert one record; ``page`` is its page (or None) when the caller looked it up."""
        clean = record.clean
        if clean["type"] == SERIES:
            self._write_series(clean)
            return
        model = TYPES[clean["type"]]
        image, documents, by_path = self._files(clean)
        values = self._fields(clean, image, documents, by_path)
        if page is LOOK_UP:
            page = model.objects.filter(locale=self.locale, source_id=clean["id"]).first()
        if page is None:
            self._create(clean, model, values)
            self.counts["created"] += 1
            return
        latest = page.get_latest_revision_as_object()
        if self._same(latest, values, clean["tags"], clean.get("blocks") is not None):
            self.counts["unchanged"] += 1
            return
        for name, value in values.items():
            setattr(latest, name, value)
        latest.tags.set(clean["tags"])
        if isinstance(latest, PolicyPage) and "change_note" not in values:
            latest.change_note = "资源库批量导入更新"
        revision = latest.save_revision(user=self.user, log_action=True)
        self._finish(latest, revision)
        self.counts["updated"] += 1

    def _series_page(self, clean):
        """A series record's page: the series with its address under its function's index."""
        return (
            LessonSeriesPage.objects.child_of(self._parent(clean)).filter(slug=_slug(clean)).first()
        )

    def _series_values(self, clean, image=None):
        lessons = {
            page.source_id: page
            for page in LessonPage.objects.filter(
                locale=self.locale, source_id__in=clean["lessons"]
            )
        }
        values = {"title": clean["title"], "summary": clean["summary"]}
        if image is not None:
            values["cover"] = image
        values["members"] = [
            SeriesMember(lesson=lessons[source_id], sort_order=order)
            for order, source_id in enumerate(clean["lessons"])
            if source_id in lessons  # a preview: not imported yet
        ]
        return values

    def _same_series(self, page, clean, values=None):
        values = values or self._series_values(clean)
        for name, value in values.items():
            if name == "members":
                now = [(m.lesson_id, m.sort_order) for m in page.members.all()]
                if now != [(m.lesson.pk, m.sort_order) for m in value]:
                    return False
            elif getattr(page, name) != value:
                return False
        return True

    def _write_series(self, clean):
        """Upsert a series through the page API, as an editor's would be: a new one is
        added, published (or, a draft, sent to its workflow) and given its aliases in the
        synchronised locales; a changed one gets a new revision. The batch's positions
        and counts are flushed first (``add_child`` trusts ``numchild``)."""
        from wagtail_localize.synctree import create_aliases_for_new_page

        image, _documents, _by_path = self._files(clean)
        values = self._series_values(clean, image)
        page = self._series_page(clean)
        if page is None:
            parent = self._parent(clean)
            self._tree.flush()
            page = LessonSeriesPage(
                slug=self._slugs.available(parent, _slug(clean)),
                locale=self.locale,
                owner=self.user,
                **values,
            )
            parent.add_child(instance=page)
            self._finish(page, page.save_revision(user=self.user, log_action=True))
            create_aliases_for_new_page(page)
            self.counts["created"] += 1
            return
        latest = page.get_latest_revision_as_object()
        if self._same_series(latest, clean, values):
            self.counts["unchanged"] += 1
            return
        for name, value in values.items():
            setattr(latest, name, value)
        self._finish(latest, latest.save_revision(user=self.user, log_action=True))
        self.counts["updated"] += 1

    def _create(self, clean, model, values):
        """A new page, its first revision and (unless a draft) its publication.

        The end state is the admin's (add_child, save_revision, publish, then the
        ``after_create_page`` aliases): the same rows, log entries and signals. But the
        page is saved once (and its revision ids set by an UPDATE) instead of three times,
        each save having set off the reference index, search indexing and validation
        again; those run once per batch (``_Deferred``). Validation is ours (``validate``),
        done before anything is written; the tree position and slug are found here as
        treebeard and ``full_clean`` would find them.
        """
        parent = self._parent(clean)
        page = model(source_id=clean["id"], locale=self.locale, owner=self.user, **values)
        # Topics by name, made if new, as the tag library finds them; their links to the
        # page are written with the batch's (``_link_topics``), not one INSERT a link.
        page.tags.add(*[self._topics.get(name, name) for name in clean["tags"]])
        topics = list(page.tags.all())
        if topics:
            compat.drop_unsaved_children(page, _topic_links(model))
        self._topics.update((topic.name, topic) for topic in topics)
        page.slug = self._slugs.available(parent, _slug(clean))
        page.draft_title = page.title
        page.live = not self.draft
        page.has_unpublished_changes = self.draft
        if page.live:
            page.first_published_at = page.last_published_at = timezone.now()
        compat.mark_not_site_root(page)  # a new page under an index (Page.save would ask)
        self._tree.place(page, parent)
        page.save(clean=False, log_action=None)  # and the relations a record gives
        page._import_kept = ("relations",) if "relations" in values else ()
        self._link_topics(page, topics)
        self._deferred.log(page, "wagtail.create", user=self.user, content_changed=True)
        # Revision ids are filled in by _finish_batch, which writes the batch's revisions.
        entries = [
            self._deferred.log(page, action, user=self.user, content_changed=True)
            for action in (["wagtail.edit", "wagtail.publish"] if page.live else ["wagtail.edit"])
        ]
        self._new.append((page, entries))
        # As when an editor adds a page: synchronised locales get an alias of it.
        self._create_aliases(page)

    def _finish_batch(self):
        """The batch's new pages get their first revisions (one INSERT), their revision
        ids (one UPDATE statement, run for each page) and their publication, as
        save_revision and publish would give them; then the signals those send, and
        copy_for_translation's for the aliases."""
        self._tree.flush()
        self._flush_links()
        revisions = []
        for page, _entries in self._new:
            # The revision records the page's child objects: its topic links, just
            # written, and nothing else yet (no comments): no need to read them back.
            for relation in get_all_child_relations(page):
                name = relation.get_accessor_name()
                links = name == _topic_links(type(page))
                if name in getattr(page, "_import_kept", ()):
                    setattr(page, name, list(getattr(page, name).all()))
                else:
                    setattr(page, name, page._import_links if links else [])
            revisions.append(
                Revision(
                    content_object=page,
                    base_content_type=page.get_base_content_type(),
                    user=self.user,
                    content=page.serializable_data(),
                    object_str=str(page),
                    created_at=timezone.now(),
                )
            )
        if connection.features.can_return_rows_from_bulk_insert:
            Revision.objects.bulk_create(revisions)
        else:  # the pages and log entries need the revisions' ids
            for revision in revisions:
                revision.save()
        for (page, entries), revision in zip(self._new, revisions, strict=True):
            page.latest_revision = revision
            page.latest_revision_created_at = revision.created_at
            if page.live:
                page.live_revision = revision
            for entry in entries:
                entry.revision = revision
        # An alias shares its page's live revision (CreatePageAliasAction copies it).
        sources = {page.pk for page, _entries in self._new}
        aliases = []
        for page, alias, _signal in self._aliases:
            if page.pk in sources:
                alias.live_revision = page.live_revision
                sources.add(alias.pk)
                aliases.append(alias)
        _update_pages(
            [page for page, _entries in self._new],
            ["latest_revision", "latest_revision_created_at", "live_revision"],
        )
        _update_pages(aliases, ["live_revision"])
        for (page, _entries), revision in zip(self._new, revisions, strict=True):
            if page.live:
                # What PublishPageRevisionAction sends, so front-cache purging and any
                # other receiver see imported pages as they see pages published in the admin.
                page_published.send(sender=type(page), instance=page, revision=revision)
                published.send(sender=type(page), instance=page, revision=revision)
            else:
                self._finish(page, revision)
        for page, alias, signal in self._aliases:
            if signal:  # sent now the alias has its topic links
                copy_for_translation_done.send(
                    sender=CopyPageForTranslationAction, source_obj=page, target_obj=alias
                )
        self._new, self._aliases = [], []

    def _link_topics(self, page, topics):
        """Queue ``page``'s topic links for one INSERT a batch (``_flush_links``)."""
        through = type(page).tags.through
        page._import_topics = topics
        page._import_links = [through(tag=topic, content_object=page) for topic in topics]
        self._links += page._import_links

    def _flush_links(self):
        by_model = {}
        for link in self._links:
            by_model.setdefault(type(link), []).append(link)
        for model, links in by_model.items():
            if connection.features.can_return_rows_from_bulk_insert:
                model.objects.bulk_create(links)
            else:  # the revisions record each link's id
                for link in links:
                    link.save()
        self._links = []

    def _create_aliases(self, page):
        """``create_aliases_for_new_page``: an alias in each locale synchronised from
        the page's, under the translation of its parent."""
        for locale in self._synchronised_locales(page.locale_id):
            parent = self._translated_parent(page.get_parent(), locale)
            if parent is None:  # parent not in that tree yet: the library makes it too
                self._tree.flush()
                self._flush_links()  # the library copies the page's links from the database
                alias = page.copy_for_translation(locale, copy_parents=True, alias=True)
                self._aliases.append((page, alias, False))  # the library sent its signal
            else:
                alias = self._alias(page, parent, locale)
                self._aliases.append((page, alias, True))
            self._create_aliases(alias)

    def _alias(self, page, parent, locale):
        """What ``copy_for_translation(alias=True)`` makes (``CreatePageAliasAction``),
        with the tree position and slug found here and the log entries written with the
        batch. The page is new, so it has no view restrictions to copy."""
        alias = type(page)(**compat.alias_fields(page))
        alias.alias_of = page
        alias.draft_title = page.title
        alias.has_unpublished_changes = not page.live
        alias.slug = self._slugs.available(parent, page.slug)
        alias.locale = locale
        compat.mark_not_site_root(alias)
        topics = getattr(page, "_import_topics", None)
        if topics is None:
            for child in page.copy_all_child_relations(
                alias, exclude=ALIAS_EXCLUDED_FIELDS
            ).values():
                if isinstance(child, TranslatableMixin):
                    child.locale = locale
        kept = getattr(page, "_import_kept", ())
        if topics is not None and kept:  # a record's relations, as the alias action copies
            for name in kept:
                setattr(
                    alias,
                    name,
                    [_copied_child(child) for child in getattr(page, name).all()],
                )
        self._tree.place(alias, parent)
        alias.save(clean=False, log_action=None)
        if topics is not None:
            # A page made by this import: its only child objects are its topic links
            # (and the relations its record gives), already known, where
            # copy_all_child_relations would read them back.
            self._link_topics(alias, topics)
        compat.copy_m2m(page, alias)
        self._deferred.log(alias, "wagtail.create", user=alias.owner, content_changed=True)
        source_parent = page.get_parent()
        self._deferred.log(
            alias,
            "wagtail.create_alias",
            data={
                "page": {"id": alias.id, "title": alias.get_admin_display_title()},
                "source": {
                    "id": source_parent.id,
                    "title": source_parent.specific_deferred.get_admin_display_title(),
                },
                "destination": {
                    "id": parent.id,
                    "title": parent.specific_deferred.get_admin_display_title(),
                },
            },
        )
        return alias

    def _synchronised_locales(self, locale_id):
        if locale_id not in self._sync:
            from wagtail_localize.models import LocaleSynchronization

            ids = LocaleSynchronization.objects.filter(sync_from_id=locale_id).values_list(
                "locale_id", flat=True
            )
            self._sync[locale_id] = list(Locale.objects.filter(id__in=list(ids)))
        return self._sync[locale_id]

    def _translated_parent(self, parent, locale):
        key = (parent.pk, locale.pk)
        if key not in self._translated:
            translated = parent.get_translation_or_none(locale)
            if translated is None:
                return None  # not cached: the first alias under it will make it
            self._translated[key] = translated
        return self._translated[key]

    def _finish(self, page, revision):
        if not self.draft:
            revision.publish(user=self.user)
            return
        workflow = page.get_workflow()
        if workflow is not None and self.user is not None:
            workflow.start(page, self.user)

    def plan(self, records, listed=PLAN_LISTED):
        """What importing the valid records would do: create, update or leave alone, with
        the first ``listed`` pages to be created or changed (line, type, title; for a
        change, the page's current title too) for the preview."""
        counts = {"create": 0, "update": 0, "unchanged": 0, "created": [], "updated": []}
        for record in records:
            if record.errors:
                continue
            clean = record.clean
            if clean["type"] == SERIES:
                page = self._series_page(clean)
            else:
                model = TYPES[clean["type"]]
                page = model.objects.filter(locale=self.locale, source_id=clean["id"]).first()
            item = {"line": record.line, "type": clean["type"], "title": clean["title"]}
            if page is None:
                counts["create"] += 1
                if len(counts["created"]) < listed:
                    counts["created"].append(item)
                continue
            latest = page.get_latest_revision_as_object()
            if clean["type"] == SERIES:
                changed = clean["files"] or not self._same_series(latest, clean)
            else:
                values = self._fields({**clean, "files": []}, None, [])
                structured = clean.get("blocks") is not None
                changed = clean["files"] or not self._same(
                    latest, values, clean["tags"], structured
                )
            if changed:
                counts["update"] += 1
                if len(counts["updated"]) < listed:
                    counts["updated"].append({**item, "current_title": latest.title})
            else:
                counts["unchanged"] += 1
        return counts

    def _valid(self, records):
        """The records to import: validated ones without errors, or (read again, as the
        command does) records cleaned here, skipping the lines validate found wrong."""
        for record in records:
            if not record.errors and not hasattr(record, "clean"):
                if record.line in self.bad_lines:
                    record.errors = ["skipped"]
                else:
                    record.clean, record.errors = self._clean(record.data)
            if record.errors:
                self.counts["skipped"] += 1
                continue
            yield record

    def run(self, records, progress=None, total=None):
        """Import ``records`` (a list, or a stream read again after ``validate``) in
        batches; ``progress(done, total)`` after each."""
        if total is None and isinstance(records, list):
            total = sum(1 for r in records if not r.errors)
        valid, done = self._valid(records), 0
        while batch := list(itertools.islice(valid, BATCH)):
            self._new, self._links, self._aliases = [], [], []
            self._slugs = _Slugs({_slug(record.clean) for record in batch})
            try:
                # Front-cache purges go out once a batch, after its transaction.
                with gathered_purges(), transaction.atomic(), deferred_indexing() as deferred:
                    self._deferred, self._tree = deferred, _Tree()
                    existing = self._existing(batch)
                    for record in batch:
                        clean = record.clean
                        self.write(record, existing.get((clean["type"], clean["id"])))
                    self._finish_batch()
                    deferred.flush()
            except BaseException:
                # Cached parents may have been created, or counted children, in the
                # rolled-back batch: forget them.
                self._parents.clear()
                self._translated.clear()
                self._topics.clear()
                raise
            done += len(batch)
            if progress:
                progress(done, max(total or 0, done))
        return self.counts

    def _existing(self, batch):
        """{(type, id): page} of the batch's records already on the site, one query a type."""
        found = {}
        ids = {}
        for record in batch:
            ids.setdefault(record.clean["type"], []).append(record.clean["id"])
        for kind, source_ids in ids.items():
            if kind == SERIES:
                continue  # matched by address, when written (``_write_series``)
            pages = TYPES[kind].objects.filter(locale=self.locale, source_id__in=source_ids)
            for page in pages:
                found[(kind, page.source_id)] = page
        return found


def _file_block(kind, document, poster=None):
    """A lesson's video or audio plays in its page (the browser's own player, the cover as
    the video's poster), as a lesson made in the admin does; any other file is a download."""
    extension = Path(document.file.name).suffix[1:].lower()
    if kind == "lesson" and extension in VIDEO:
        return ("video", {"file": document, "poster": poster, "captions": None, "title": ""})
    if kind == "lesson" and extension in MEDIA_TYPES:
        return ("audio", {"file": document, "title": ""})
    return ("attachment", {"document": document, "title": ""})


def _copied_child(child):
    """An unsaved copy of a page's child object, for another page (its parent key unset)."""
    return type(child)(
        **{
            field.attname: getattr(child, field.attname)
            for field in child._meta.concrete_fields
            if not field.primary_key and not isinstance(field, ParentalKey)
        }
    )


def _file_block_of(block, document, poster=None):
    """A cleaned file block of ``blocks`` with its stored document; a video's poster is
    the record's image."""
    if block["type"] == "video":
        value = {"file": document, "poster": poster, "captions": None, "title": block["title"]}
        return ("video", value)
    if block["type"] == "audio":
        return ("audio", {"file": document, "title": block["title"]})
    return ("attachment", {"document": document, "title": block["title"]})


def _text_block(block):
    """A cleaned ``blocks`` item as a StreamField block, as an editor's would be."""
    kind = block["type"]
    if kind == "paragraph":
        return ("paragraph", RichText(f"<p>{escape(block['text'])}</p>"))
    if kind == "quote":
        return ("quote", {"text": block["text"], "source": block["source"]})
    if kind == "outline":
        items = "".join(f"<li>{escape(item)}</li>" for item in block["items"])
        return ("outline", {"heading": block["heading"], "text": RichText(f"<ul>{items}</ul>")})
    steps = [{"text": text, "image": None} for text in block["steps"]]
    return ("steps", {"title": block["title"], "steps": steps})


def _signature(blocks, structured=False):
    """What an imported body says: its paragraphs' text and its files, and its structured
    blocks when the record gives ``blocks``."""
    signature = []
    for block in blocks:
        kind, value = (block.block_type, block.value) if hasattr(block, "block_type") else block
        if kind == "paragraph":
            signature.append(("p", strip_tags(value.source)))
        elif kind == "quote" and structured:
            signature.append(("q", value["text"], value["source"]))
        elif kind == "outline" and structured:
            signature.append(("o", value["heading"], value["text"].source))
        elif kind == "steps" and structured:
            steps = [step["text"] for step in value["steps"]]
            signature.append(("s", value["title"], *steps))
        elif kind == "attachment":
            signature.append(("a", value["document"].pk, *([value["title"]] if structured else [])))
        elif kind in ("video", "audio"):
            signature.append((kind, value["file"].pk, *([value["title"]] if structured else [])))
    return signature


def _slug(clean):
    from django.utils.text import slugify

    if clean.get("slug"):
        return clean["slug"]
    return slugify(f"{clean['type']}-{clean['id']}")[:70] or "item"


def _topic_links(model):
    """The name of ``model``'s child relation holding its topic (tag) links."""
    keys = [f for f in model.tags.through._meta.get_fields() if isinstance(f, ParentalKey)]
    return keys[0].remote_field.get_accessor_name()


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
