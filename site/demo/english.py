"""English for part of the demo, applied through wagtail-localize as a translation office would.

The English is a PO catalogue, ``site/data/demo/en.po``: page strings by their Chinese
source text, the site texts under the context ``site_text.<field>``, and the pages to
translate in its ``X-Translated-Pages`` header. The English tree is synchronised from
the Chinese one (untranslated pages exist there as aliases, made by ``setup_site`` and
by the importer for the pages it adds); each translated page goes
through the PO export/import round trip that outside translators use (its exported PO
filled from the catalogue, then imported as the editor's "upload PO file" imports it),
then ``save_target`` publishes it. Topics are
translated snippets; regions get their English names from their data file
(``pioneer.core.regions``).
"""

import re
from functools import cache

import polib
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from lessons.models import LessonPage
from news.models import PolicyPage
from pioneer.core.models import SiteText, Topic
from pioneer.core.regions import DATA_DIR

TIMED_LINE = re.compile(r"(\d{2}:\d{2} )(.+)", re.DOTALL)  # a video lesson's timed outline
ENGLISH_PO = DATA_DIR / "demo" / "en.po"
SITE_TEXT_CONTEXT = "site_text."


@cache
def english():
    """(strings by source text, site texts by field, slugs of the pages to translate)."""
    po = polib.pofile(str(ENGLISH_PO))
    strings = {entry.msgid: entry.msgstr for entry in po if not entry.msgctxt and entry.msgstr}
    site_text = {
        entry.msgctxt.removeprefix(SITE_TEXT_CONTEXT): entry.msgstr
        for entry in po
        if entry.msgctxt and entry.msgctxt.startswith(SITE_TEXT_CONTEXT)
    }
    return strings, site_text, po.metadata.get("X-Translated-Pages", "").split()


def translate_snippet_copy(instance, locale, **values):
    """The snippet's translation into ``locale``, created with ``values`` when missing."""
    existing = instance.get_translation_or_none(locale)
    if existing is not None:
        return existing, False
    translated = instance.copy_for_translation(locale)
    for name, value in values.items():
        setattr(translated, name, value)
    translated.save()
    return translated, True


def translate_instance(instance, locale, strings):
    """Translate a page through a PO file: export, fill in, import, publish."""
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    po = translation.export_po()
    for entry in po:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
        elif (timed := TIMED_LINE.fullmatch(entry.msgid)) and timed[2] in strings:
            entry.msgstr = timed[1] + strings[timed[2]]  # a timed transcript line
    translation.import_po(po, tool_name="PO File")  # wagtail-localize's upload_pofile
    translation.save_target(publish=True)
    return translation


def is_translated(page, locale):
    translated = page.get_translation_or_none(locale)
    return translated is not None and translated.alias_of_id is None


def translate_demo_snippets(tree):
    """English topics and site texts: (translations made now, translations in all). Regions
    get their English names from setup_site."""
    zh = tree["locale"]
    en = Locale.objects.get(language_code="en")
    created = 0
    strings, site_text, _pages = english()
    with transaction.atomic():
        for text in SiteText.objects.filter(locale=zh):
            created += translate_snippet_copy(text, en, **site_text)[1]
        for topic in Topic.objects.filter(locale=zh, name__in=list(strings)):
            created += translate_snippet_copy(topic, en, name=strings[topic.name])[1]
    total = sum(model.objects.filter(locale=en).count() for model in (SiteText, Topic))
    return created, total


def translate_demo(tree):
    """English pages: (pages translated now, translated pages in all)."""
    zh = tree["locale"]
    en = Locale.objects.get(language_code="en")
    created = 0
    # The English tree is already whole: setup_site synchronised it, and the importer gave
    # each page it made its English alias (walking the tree again found nothing to add).
    pages = [tree["home"], tree["lessons"], *tree["function_indexes"].values()]
    pages += [tree["news"], tree["policies"], tree["notices"], tree["schedule"]]
    strings, _site_text, translated = english()
    pages += list(LessonPage.objects.filter(locale=zh, slug__in=translated))
    pages += list(PolicyPage.objects.filter(locale=zh, slug__in=translated))
    for page in sorted(pages, key=lambda p: p.path):
        if is_translated(page, en):
            continue
        with transaction.atomic():
            translate_instance(page, en, strings)
        created += 1
    return created, Page.objects.filter(locale=en, alias_of__isnull=True).count()
