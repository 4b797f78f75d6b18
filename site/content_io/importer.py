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
from django.utils import timezone
from django.utils.html import escape, strip_tags
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
from wagtail.models import Locale, Revision, TranslatableMixin
from wagtail.rich_text import RichText
from wagtail.signals import copy_for_translation_done, page_published, published

from pioneer import compat
from pioneer.caching.front_cache import gathered_purges
from pioneer.compat import ALIAS_EXCLUDED_FIELDS
from pioneer.content_io.bulk import _Slugs, _Tree, _update_pages, deferred_indexing
from pioneer.content_io.records import (
    FILE_BLOCKS,
    SLUG,
    SLUG_LENGTH,
    _clean_blocks,
    _split_list,
    record_types,
)
from pioneer.core.media import MEDIA_TYPES, VIDEO
from pioneer.core.regions import find_region

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
        self.types = record_types()  # the content apps' record types (the registry's)

    # --- validation ----------------------------------------------------------------

    def validate(self, records):
        """Fill each record's ``errors`` and its ``clean`` values; whole-file checks too.
        Returns the bad records; ``records`` may be a stream (only ids, document numbers
        and bad records are kept)."""
        seen_ids, seen, bad = {}, {}, []
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
            # The type's own checks against the file and the site (a policy's relations
            # and document number, a series' lessons).
            self.types[clean["type"]].check(
                self, record, seen_ids, seen.setdefault(clean["type"], {})
            )
            if record.errors:
                bad.append(record)
        self.bad_lines = {record.line for record in bad}
        return bad

    def _clean(self, data):
        errors, clean = [], {}
        kind = str(data.get("type", "")).strip()
        record_type = self.types.get(kind)
        if record_type is None:
            *names, last = self.types
            errors.append(f"未知的类型“{kind}”（应为 {'、'.join(names)} 或 {last}）")
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
        clean["blocks"] = (
            _clean_blocks(data["blocks"], record_type.blocks if record_type else (), errors)
            if "blocks" in data
            else None
        )
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
        if record_type is not None:  # the type's own fields
            record_type.clean(data, clean, errors)
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
        if record_type is not None:
            record_type.clean_files(clean, errors)
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
        record_type = self.types[clean["type"]]
        key = record_type.parent_key(clean)
        if key not in self._parents:
            self._parents[key] = record_type.find_parent(self, clean)
        return self._parents[key]

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
            body.append(_file_block(self.types[clean["type"]].media_blocks, document, poster))
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
        values.update(self.types[clean["type"]].fields(self, clean, image))
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
        record_type = self.types[clean["type"]]
        if record_type.custom_write:  # a series
            record_type.write(self, clean)
            return
        model = record_type.get_model()
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
        if record_type.update_note and "change_note" not in values:
            latest.change_note = record_type.update_note
        revision = latest.save_revision(user=self.user, log_action=True)
        self._finish(latest, revision)
        self.counts["updated"] += 1

    # What a record type that writes its own pages (lessons.records' series) calls.

    def parent(self, clean):
        return self._parent(clean)

    def slug_of(self, clean):
        return _slug(clean)

    def available_slug(self, parent, clean):
        return self._slugs.available(parent, _slug(clean))

    def files(self, clean):
        return self._files(clean)

    def flush_tree(self):
        self._tree.flush()

    def create_aliases(self, page):
        self._create_aliases(page)

    def finish(self, page, revision):
        self._finish(page, revision)

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
        records = (record for record in records if not record.errors)
        # The pages already on the site, looked up a batch at a time (as the import does):
        # one query a type and batch, not one a record (100,000 of them in the upload's
        # request).
        while batch := list(itertools.islice(records, BATCH)):
            existing = self._existing(batch)
            for record in batch:
                self._plan_one(record, existing, counts, listed)
        return counts

    def _plan_one(self, record, existing, counts, listed):
        clean = record.clean
        record_type = self.types[clean["type"]]
        if record_type.custom_write:
            page = record_type.find_page(self, clean)
        else:
            page = existing.get((clean["type"], clean["id"]))
        item = {"line": record.line, "type": clean["type"], "title": clean["title"]}
        if page is None:
            counts["create"] += 1
            if len(counts["created"]) < listed:
                counts["created"].append(item)
            return
        latest = page.get_latest_revision_as_object()
        if record_type.custom_write:
            changed = clean["files"] or not record_type.same(self, latest, clean)
        else:
            values = self._fields({**clean, "files": []}, None, [])
            structured = clean.get("blocks") is not None
            changed = clean["files"] or not self._same(latest, values, clean["tags"], structured)
        if changed:
            counts["update"] += 1
            if len(counts["updated"]) < listed:
                counts["updated"].append({**item, "current_title": latest.title})
        else:
            counts["unchanged"] += 1

    def valid(self, records):
        """The records to import: validated ones without errors, or (read again, as the
        command and the admin's import do) records cleaned here, skipping the lines
        validate found wrong."""
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
        valid, done = self.valid(records), 0
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
        """{(type, id): page} of the batch's records already on the site, one query a type.

        Found by the source id's index, the language checked on the ids it gives: with the
        locale in the query, SQLite walks the locale's index over every page of the
        language instead (77 ms a batch at 100,000 lessons)."""
        found = {}
        ids = {}
        for record in batch:
            ids.setdefault(record.clean["type"], []).append(record.clean["id"])
        for kind, source_ids in ids.items():
            if self.types[kind].custom_write:
                continue  # matched by address, when written (a series)
            model = self.types[kind].get_model()
            rows = model.objects.filter(source_id__in=source_ids).order_by()
            mine = [
                pk for pk, locale in rows.values_list("pk", "locale_id") if locale == self.locale.pk
            ]
            for page in model.objects.filter(pk__in=mine) if mine else ():
                found[(kind, page.source_id)] = page
        return found


def _file_block(media_blocks, document, poster=None):
    """A video or audio file plays in its page where the record type says so (a lesson's:
    the browser's own player, the cover as the video's poster), as a page made in the
    admin does; any other file is a download."""
    extension = Path(document.file.name).suffix[1:].lower()
    if media_blocks and extension in VIDEO:
        return ("video", {"file": document, "poster": poster, "captions": None, "title": ""})
    if media_blocks and extension in MEDIA_TYPES:
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
