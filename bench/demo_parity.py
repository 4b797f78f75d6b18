"""The demo's loaded tree as text, to compare ``load_demo`` before and after a change.

Run: .venv/bin/python bench/demo_parity.py [--out FILE] [--database-url postgres://…]

Loads the demo on a throw-away database (``_site.demo_site``) and writes one block per
object: every page (both locales, aliases included) with its type, slug, title, dates,
region, tags, function, document number and its other own fields, its body's block types
with the media they name (by title) and a digest of its text, its series members and
policy relations in order; then the snippets (regions, topics, site texts) and the
images and documents by title. Database ids, timestamps and UUIDs are left out (they
differ between runs); what they point at is named instead. Two loads of the same
content give the same text, so ``diff`` of two dumps is the parity check for moving the
demo's content into data files (issue 19). ``demo_parity.base.txt`` is the dump of the
demo as the Python data built it (commit 3323466), but for one field: the pages are
imported now, so lessons, news and policies (and their English pages) carry their record
id as ``source_id`` where the Python path left it empty:

    .venv/bin/python bench/demo_parity.py --out /tmp/after.txt
    diff bench/demo_parity.base.txt /tmp/after.txt
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import add_database_argument, demo_site  # noqa: E402

SKIPPED = {
    "id", "page_ptr", "path", "depth", "numchild", "translation_key", "latest_revision",
    "live_revision", "latest_revision_created_at", "first_published_at",
    "last_published_at", "go_live_at", "expire_at", "locked_at", "locked_by", "owner",
    "content_type", "locale", "draft_title", "url_path", "body", "search_description",
    "has_unpublished_changes", "locked", "expired", "content_generation",
}  # fmt: skip


def _label(obj):
    """A related object by what survives a reload: its slug, else its title or name."""
    if obj is None:
        return None
    for name in ("slug", "title", "name"):
        value = getattr(obj, name, None)
        if value:
            locale = getattr(obj, "locale", None)
            return f"{value}@{locale.language_code}" if locale is not None else value
    return str(obj)


def _fields(obj):
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED or field.name.endswith("_ptr"):
            continue
        if field.is_relation:
            out[field.name] = _label(getattr(obj, field.name))
        else:
            value = getattr(obj, field.name)
            out[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _media(value, found):
    """Titles of the images and documents a block value names, depth first."""
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage

    if isinstance(value, AbstractImage | AbstractDocument):
        found.append(value.title)
    elif isinstance(value, dict) or hasattr(value, "items"):
        for item in value.values():
            _media(item, found)
    elif (
        isinstance(value, list | tuple) or hasattr(value, "__iter__") and not isinstance(value, str)
    ):
        try:
            for item in value:
                _media(item, found)
        except TypeError:
            pass
    return found


def _text(raw, out):
    """The strings of a body's raw JSON, without block ids and chosen objects' ids."""
    if isinstance(raw, dict):
        for key in sorted(raw):
            if key != "id":
                _text(raw[key], out)
    elif isinstance(raw, list):
        for item in raw:
            _text(item, out)
    elif isinstance(raw, str):
        out.append(raw)
    return out


def _body(page):
    body = getattr(page, "body", None)
    if body is None:
        return {}
    blocks = [
        {"type": block.block_type, "media": _media(block.value, [])}
        if _media(block.value, [])
        else block.block_type
        for block in body
    ]
    text = "\x1f".join(_text(list(body.raw_data), []))
    return {"blocks": blocks, "text_sha1": hashlib.sha1(text.encode()).hexdigest()[:16]}


def dump(out):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from pioneer.core.models import Region, SiteSettings, SiteText, Topic

    def line(kind, key, data):
        out.write(f"{kind} {key} {json.dumps(data, ensure_ascii=False, sort_keys=True)}\n")

    pages = Page.objects.select_related("locale", "content_type").order_by("path")
    for base in pages:
        page = base.specific
        data = {
            "type": base.content_type.model,
            "locale": base.locale.language_code,
            "depth": base.depth,
            **_fields(page),
            **_body(page),
        }
        if hasattr(page, "tags"):
            data["tags"] = sorted(tag.name for tag in page.tags.all())
        if hasattr(page, "members"):
            data["members"] = [_label(m.lesson) for m in page.members.order_by("sort_order")]
        if hasattr(page, "relations"):
            data["relations"] = [
                [r.kind, _label(r.target)] for r in page.relations.order_by("sort_order")
            ]
        parent = base.get_parent()
        line(
            "page",
            f"{base.locale.language_code}:{parent.url_path if parent else ''}{base.slug}",
            data,
        )
    for model in (Region, Topic, SiteText, SiteSettings):
        rows = [
            _fields(obj) | {"locale": _label(getattr(obj, "locale", None))}
            for obj in model.objects.all()
        ]
        for row in sorted(rows, key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True)):
            line(model.__name__.lower(), "-", row)
    for model in (get_image_model(), get_document_model()):
        for obj in model.objects.order_by("title"):
            line(
                model.__name__.lower(),
                obj.title,
                {"ext": Path(obj.file.name).suffix, "collection": obj.collection.name},
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="-", help="file to write (default: standard output)")
    add_database_argument(parser)
    args = parser.parse_args()
    demo_site(database_url=args.database_url)
    if args.out == "-":
        dump(sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            dump(handle)


if __name__ == "__main__":
    main()
