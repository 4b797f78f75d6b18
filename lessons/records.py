"""What the bulk importer and exporter (``pioneer.content_io``) need of lessons and series
(专题): the kinds' ``RecordType``s, named by the registry (lessons/content_types.py)."""

from pioneer.core.content_types import RecordType
from pioneer.core.five_functions import FUNCTION_SLUGS, parse_function

from .models import LessonIndexPage, LessonPage, LessonSeriesPage, SeriesMember


def _clean_function(data, clean, errors):
    function = parse_function(data.get("category", ""))
    if function is None:
        errors.append(f"未知的功能分类“{data.get('category', '')}”")
    clean["function"] = function.value if function else ""


def _clean_members(value, errors):
    """A series record's ``lessons``: the ids of its lesson records, in order."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append("专题的 lessons 应为课程 id 的列表")
        return []
    members = [v.strip() for v in value if v.strip()]
    if not members:
        errors.append("专题缺少课程（lessons）")
    duplicates = sorted({v for v in members if members.count(v) > 1})
    if duplicates:
        errors.append(f"专题中的课程 id“{duplicates[0][:64]}”重复")
    return members


class _UnderFunctionIndex(RecordType):
    """Lessons and series both go under the index of their function (``category``)."""

    def parent_key(self, clean):
        return ("lesson", clean["function"])

    def find_parent(self, importer, clean):
        return LessonIndexPage.objects.get(
            locale=importer.locale, slug=FUNCTION_SLUGS[clean["function"]]
        )


class SeriesRecords(_UnderFunctionIndex):
    """Series are read too, not exported: a series is its lessons' order, matched by its
    address (it has no source id), and written through the page API (``write``)."""

    key = "series"
    model = "lessons.LessonSeriesPage"
    exported = False
    blocks = ()
    custom_write = True

    def clean(self, data, clean, errors):
        _clean_function(data, clean, errors)
        clean["lessons"] = _clean_members(data.get("lessons"), errors)
        if clean["tags"]:
            errors.append("专题没有话题（tags）")

    def clean_files(self, clean, errors):
        if any(role != "image" for role, _path, _title in clean["files"]):
            errors.append("专题只有封面图（image），没有附件")

    def check(self, importer, record, seen_ids, seen):
        for lesson in record.clean.get("lessons") or []:
            if ("lesson", lesson) not in seen_ids and not LessonPage.objects.filter(
                locale=importer.locale, source_id=lesson
            ).exists():
                record.errors.append(f"专题中的课程 id“{lesson}”不在本文件前面，也不在网站上")

    def find_page(self, importer, clean):
        """A series record's page: the series with its address under its function's index."""
        return (
            LessonSeriesPage.objects.child_of(importer.parent(clean))
            .filter(slug=importer.slug_of(clean))
            .first()
        )

    def values(self, importer, clean, image=None):
        lessons = {
            page.source_id: page
            for page in LessonPage.objects.filter(
                locale=importer.locale, source_id__in=clean["lessons"]
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

    def same(self, importer, page, clean, values=None):
        values = values or self.values(importer, clean)
        for name, value in values.items():
            if name == "members":
                now = [(m.lesson_id, m.sort_order) for m in page.members.all()]
                if now != [(m.lesson.pk, m.sort_order) for m in value]:
                    return False
            elif getattr(page, name) != value:
                return False
        return True

    def write(self, importer, clean):
        """Upsert a series through the page API, as an editor's would be: a new one is
        added, published (or, a draft, sent to its workflow) and given its aliases in the
        synchronised locales; a changed one gets a new revision. The batch's positions
        and counts are flushed first (``add_child`` trusts ``numchild``)."""
        from wagtail_localize.synctree import create_aliases_for_new_page

        image, _documents, _by_path = importer.files(clean)
        values = self.values(importer, clean, image)
        page = self.find_page(importer, clean)
        if page is None:
            parent = importer.parent(clean)
            importer.flush_tree()
            page = LessonSeriesPage(
                slug=importer.available_slug(parent, clean),
                locale=importer.locale,
                owner=importer.user,
                **values,
            )
            parent.add_child(instance=page)
            importer.finish(page, page.save_revision(user=importer.user, log_action=True))
            create_aliases_for_new_page(page)
            importer.counts["created"] += 1
            return
        latest = page.get_latest_revision_as_object()
        if self.same(importer, latest, clean, values):
            importer.counts["unchanged"] += 1
            return
        for name, value in values.items():
            setattr(latest, name, value)
        importer.finish(latest, latest.save_revision(user=importer.user, log_action=True))
        importer.counts["updated"] += 1


class LessonRecords(_UnderFunctionIndex):
    key = "lesson"
    model = "lessons.LessonPage"
    also = (SeriesRecords(),)
    blocks = ("paragraph", "quote", "outline", "steps", "video", "audio", "attachment")
    # A lesson's video or audio plays in its page (the browser's own player, the cover as
    # the video's poster), as a lesson made in the admin does.
    media_blocks = True

    def clean(self, data, clean, errors):
        _clean_function(data, clean, errors)
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

    def fields(self, importer, clean, image):
        values = {
            "function": clean["function"],
            "date": clean["date"],
            "region": clean["region"],
            "duration_minutes": clean["duration_minutes"],
            "producer": clean["producer"],
            "audience": clean["audience"],
        }
        if image is not None:
            values["cover"] = image
        return values

    def export(self, page, row):
        row["date"] = page.date.isoformat()
        row.update(
            category=page.function,
            duration_minutes=page.duration_minutes,
            producer=page.producer,
            audience=page.audience,
        )


LESSON_RECORDS = LessonRecords()
