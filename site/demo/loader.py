"""``load_demo`` from the data in ``site/data/demo/``: the site's structure
(``setup_site``) with the demo's contact details (``site.json``), the media the records
name generated into a folder (``media.jsonl``, ``pioneer.demo.media``), the records
imported from it as ``manage.py import_content --media-dir`` would import them
(``pioneer.content_io.Importer``), then the English (``pioneer.demo.english``). Every
step looks for what it would make, so a second run creates nothing."""

import json
import tempfile

from django.db import transaction

from lessons.models import LessonPage, LessonSeriesPage
from news.models import NewsPage, PolicyPage
from pioneer.content_io import Importer, iter_records
from pioneer.core.models import SiteSettings
from pioneer.core.regions import DATA_DIR
from pioneer.demo import media
from pioneer.site_setup import build_structure

DEMO_DIR = DATA_DIR / "demo"
# (what the command's line calls them, the records' file, the pages they make)
SECTIONS = (
    ("课程和专题", "lessons.jsonl", (LessonPage, LessonSeriesPage)),
    ("工作动态", "news.jsonl", (NewsPage,)),
    ("政策文件", "policies.jsonl", (PolicyPage,)),
)
_generated = {}  # the media folder of this process: made once, removed at exit


class DemoDataError(ValueError):
    """The demo's data files do not import: each bad line with its reasons."""


def build_site():
    """The structure every section hangs on; the demo's contact details once."""
    tree = build_structure()
    with open(DEMO_DIR / "site.json", encoding="utf-8") as handle:
        details = json.load(handle)
    with transaction.atomic():
        settings = SiteSettings.for_site(tree["site"])
        if not settings.contact_phone:
            for name, value in details["settings"].items():
                setattr(settings, name, value)
            settings.save()
        text = settings.text
        if text is not None and not text.contact_address:
            for name, value in details["text"].items():
                setattr(text, name, value)
            text.save()
    return tree


def media_folder():
    """A folder holding every file ``media.jsonl`` lists, generated on first use: the
    records' ``--media-dir``. Same seeds, same bytes, so one folder serves every load of
    the process (the test suite loads the demo more than once)."""
    if "folder" not in _generated:
        folder = tempfile.TemporaryDirectory(prefix="pioneer-demo-media-")
        media.generate(media.read_media_list(DEMO_DIR / "media.jsonl"), folder.name)
        _generated["folder"] = folder  # removed when the process ends
    return _generated["folder"].name


def import_records(name, models, media_dir):
    """Import one of the demo's record files: validated whole, then written in batches,
    as ``import_content`` does. Returns (pages created now, such pages in all)."""
    path = DEMO_DIR / name
    importer = Importer(media_dir=media_dir)
    with path.open(encoding="utf-8", newline="") as lines:
        records = list(iter_records(lines, path.name))
    bad = importer.validate(records)
    if bad:
        raise DemoDataError(
            "\n".join(f"{path.name} 第 {r.line} 行：{'；'.join(r.errors)}" for r in bad)
        )
    counts = importer.run(records)
    total = sum(model.objects.filter(locale=importer.locale).count() for model in models)
    return counts["created"], total
