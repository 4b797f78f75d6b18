"""Offline packs: a lesson or a series as one ZIP that a village station opens without a network.

The ZIP holds self-contained HTML pages (styles inline, no outside links needed), the
lesson's images, its media and its attachments. A pack is built the first time someone
asks for it and kept in the media storage under a signed name that includes the live
revision, so a published change makes a new pack and an unchanged lesson is never
rebuilt; the task worker then builds the new pack and deletes the old (lessons/tasks.py).
"""

import io
import posixpath
import zipfile
import zlib
from urllib.parse import quote

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import prefetch_related_objects
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from pioneer.core.outages import STORAGE_ERRORS

PACK_DIR = "offline-packs"
PACK_IMAGE_SPEC = "max-800x800|format-webp|webpquality-75"
HTML_ALLOWANCE = 24 * 1024  # the pages and styles, for the rough estimate
PREDICTED_SECONDS = 24 * 3600  # a new release may render the pages a little differently


class PackFiles:
    """Files of a pack: each stored file once, under a stable local name."""

    def __init__(self):
        self.entries = {}  # local name -> storage file

    def document(self, document):
        if document is None:
            return ""
        name = f"files/doc-{document.pk}-{posixpath.basename(document.file.name)}"
        self.entries[name] = document.file
        return name

    def image(self, image):
        if image is None:
            return ""
        rendition = image.get_rendition(PACK_IMAGE_SPEC)
        name = f"files/img-{image.pk}-{posixpath.basename(rendition.file.name)}"
        self.entries[name] = rendition.file
        return name


def _lesson_blocks(lesson, files):
    """The lesson's body as plain dicts pointing at files inside the pack."""
    blocks = []
    for block in lesson.body:
        value, kind = block.value, block.block_type
        item = {"type": kind}
        if kind == "paragraph":
            item["html"] = value.__html__()
        elif kind == "image":
            item.update(src=files.image(value["image"]), alt=value["alt"], caption=value["caption"])
        elif kind == "video":
            item.update(
                src=files.document(value["file"]),
                poster=files.image(value["poster"]),
                captions=files.document(value["captions"]),
                title=value["title"],
            )
        elif kind == "audio":
            item.update(src=files.document(value["file"]), title=value["title"])
        elif kind == "embed":
            item.update(url=value.url if value else "")
        elif kind == "outline":
            item.update(heading=value["heading"], html=value["text"].__html__())
        elif kind == "attachment":
            document = value["document"]
            item.update(
                src=files.document(document),
                title=value["title"] or document.title,
                size=document.get_file_size(),
                ext=document.file_extension.upper(),
            )
        elif kind == "quote":
            item.update(text=value["text"], source=value["source"])
        elif kind == "steps":
            item.update(
                title=value["title"],
                steps=[
                    {"text": s["text"], "image": files.image(s["image"])} for s in value["steps"]
                ],
            )
        blocks.append(item)
    return blocks


def _lesson_context(lesson, files):
    return {
        "lesson": lesson,
        "cover": files.image(lesson.cover),
        "blocks": _lesson_blocks(lesson, files),
        "tags": [tag.name for tag in lesson.tags.all()],
    }


def _write_zip(pages_html, files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, html in pages_html.items():
            archive.writestr(name, html)
        for name, stored in sorted(files.entries.items()):
            with stored.open("rb") as handle:
                # Media is already compressed: store it as it is.
                archive.writestr(name, handle.read(), compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def zip_size(pages_html, files):
    """The exact size of the ZIP ``_write_zip`` makes of these pages and files, found
    without reading the media: pages deflated as zipfile deflates them, files stored as
    they are, plus each entry's local and central headers and the closing record."""
    total = 22  # end of central directory
    entries = [(name, _deflated_size(html.encode())) for name, html in pages_html.items()]
    entries += [(name, stored.size) for name, stored in files.entries.items()]
    for name, size in entries:
        total += 30 + 46 + 2 * len(name.encode()) + size  # local + central header, twice the name
    return total


def _deflated_size(data):
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return len(compressor.compress(data) + compressor.flush())


def lesson_pack_contents(lesson):
    files = PackFiles()
    context = _lesson_context(lesson, files)
    html = render_to_string("lessons/offline/lesson.html", {**context, "standalone": True})
    return {"index.html": html}, files


def build_lesson_pack(lesson):
    return _write_zip(*lesson_pack_contents(lesson))


def build_series_pack(series, lessons):
    return _write_zip(*series_pack_contents(series, lessons))


def series_pack_contents(series, lessons):
    files = PackFiles()
    prefetch_related_objects(lessons, "tags")  # each lesson's topics: one query for all
    names = [f"lesson-{number:02d}.html" for number in range(1, len(lessons) + 1)]
    pages_html, entries = {}, []
    for position, lesson in enumerate(lessons):
        context = _lesson_context(lesson, files)
        context.update(
            series=series,
            number=position + 1,
            total=len(lessons),
            index_name="index.html",
            previous=names[position - 1] if position else "",
            next=names[position + 1] if position + 1 < len(names) else "",
        )
        pages_html[names[position]] = render_to_string("lessons/offline/lesson.html", context)
        entries.append({"name": names[position], "lesson": lesson})
    pages_html["index.html"] = render_to_string(
        "lessons/offline/series.html", {"series": series, "entries": entries}
    )
    return pages_html, files


def pack_folder(model_name, page_id):
    """One folder per page, so its packs are listed without listing everyone's."""
    return f"{PACK_DIR}/{model_name}-{page_id}"


def _published(page):
    # The publication time too: on SQLite a deleted page's id and revision ids can be
    # given out again, and the new page must not meet the old page's pack.
    published = page.last_published_at.isoformat() if page.last_published_at else ""
    return f"{page.pk}:{page.live_revision_id}:{published}"


def pack_key(page, members=()):
    """Storage name of a pack: changes whenever the page or a member is republished.

    Signed with the secret key: the name of a pack in the media storage cannot be
    guessed from page and revision numbers, so only the page's own route serves it.
    """
    parts = [_published(page)] + [_published(member) for member in members]
    digest = salted_hmac("offline-pack", "|".join(parts), algorithm="sha256").hexdigest()[:24]
    return f"{pack_folder(type(page).__name__.lower(), page.pk)}/{digest}.zip"


def _size_cache_key(key):
    return f"offline-pack-size:{key}"


def cached_size(key, storage=None):
    """Size of the stored pack, or None; a pack's bytes never change under its name, so
    the size is remembered instead of asking the (remote) storage on every page view.
    None too while the storage does not answer: the page then shows the estimate."""
    storage = storage or default_storage
    size = cache.get(_size_cache_key(key))
    if size is not None:
        return size or None  # 0: known to be missing, asked recently
    try:
        size = storage.size(key) if storage.exists(key) else 0
    except (OSError, *STORAGE_ERRORS):
        return None
    cache.set(_size_cache_key(key), size, None if size else 60)
    return size or None


def ensure_pack(key, build):
    """Build and store the pack under ``key`` unless it is there already."""
    if not default_storage.exists(key):
        stored = default_storage.save(key, ContentFile(build()))
        if stored != key:  # built at the same moment by another request: keep one
            default_storage.delete(stored)
        cache.delete(_size_cache_key(key))


def stored_packs(model_name, page_id):
    folder = pack_folder(model_name, page_id)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files if name.endswith(".zip")]


def remove_packs(model_name, page_id, keep=None):
    for name in stored_packs(model_name, page_id):
        if name != keep:
            default_storage.delete(name)
            cache.delete(_size_cache_key(name))


def pack_size(key, contents, lessons):
    """What a learner will download: the stored pack's size, or else the exact size of
    the pack that would be built (its pages rendered, its files' sizes asked), kept under
    the pack's name, which changes with every publication; the rough estimate only while
    the storage does not answer."""
    size = cached_size(key)
    if size:
        return size
    predicted_key = f"offline-pack-predicted:{key}"
    size = cache.get(predicted_key)
    if size is None:
        try:
            size = zip_size(*contents())
        except (OSError, *STORAGE_ERRORS):
            return estimated_size(lessons)
        cache.set(predicted_key, size, PREDICTED_SECONDS)
    return size


def estimated_size(lessons):
    """Bytes a learner will download, known before the pack is built (no extra queries)."""
    total = HTML_ALLOWANCE
    for lesson in lessons:
        total += lesson.download_bytes
        if lesson.cover_id:
            total += 60 * 1024  # one 800px WebP
    return total


def serve_pack(key, build, filename):
    """Serve the pack under ``key``, building and storing it first when missing."""
    ensure_pack(key, build)
    handle = default_storage.open(key, "rb")
    response = FileResponse(handle, content_type="application/zip")
    ascii_name = slugify(filename) or "lesson"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.zip\"; filename*=UTF-8''{quote(filename)}.zip"
    )
    response["X-Robots-Tag"] = "noindex"
    return response
