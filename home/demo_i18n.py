"""English for part of the demo, applied through wagtail-localize as a translation office would.

The English tree is synchronised from the Chinese one (untranslated pages exist there as
aliases); each translated page goes through the PO export/import round trip that outside
translators use, then ``save_target`` publishes it. Topics are translated snippets;
regions get their English names from their data file (``pioneer.core.regions``).
"""

import re

from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from home.demo_translations import STRINGS, TRANSLATED_LESSONS, TRANSLATED_POLICIES
from lessons.models import LessonPage
from news.models import PolicyPage
from pioneer.core.models import SiteText, Topic
from pioneer.site_setup import ensure_synchronised_tree

TIMED_LINE = re.compile(r"(\d{2}:\d{2} )(.+)", re.DOTALL)  # lessons/demo.py's _timed

SITE_TEXT = {
    "site_name": "Pioneers of the Times",
    "tagline": (
        "Teaching support for Zhejiang's distance education of rural Party members and cadres"
    ),
    "organisation": (
        "Zhejiang Office of Modern Distance Education for Rural Party Members and Cadres"
    ),
    "contact_address": "Hangzhou, Zhejiang (demo address)",
}


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
    translation.import_po(po)
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
    with transaction.atomic():
        for text in SiteText.objects.filter(locale=zh):
            created += translate_snippet_copy(text, en, **SITE_TEXT)[1]
        for topic in Topic.objects.filter(locale=zh, name__in=list(STRINGS)):
            created += translate_snippet_copy(topic, en, name=STRINGS[topic.name])[1]
    total = sum(model.objects.filter(locale=en).count() for model in (SiteText, Topic))
    return created, total


def translate_demo(tree):
    """English pages: (pages translated now, translated pages in all)."""
    zh = tree["locale"]
    en = Locale.objects.get(language_code="en")
    created = 0
    with transaction.atomic():
        ensure_synchronised_tree(zh, en)
    pages = [tree["home"], tree["lessons"], *tree["function_indexes"].values()]
    pages += [tree["news"], tree["policies"]]
    pages += list(LessonPage.objects.filter(locale=zh, slug__in=TRANSLATED_LESSONS))
    pages += list(PolicyPage.objects.filter(locale=zh, slug__in=TRANSLATED_POLICIES))
    for page in sorted(pages, key=lambda p: p.path):
        if is_translated(page, en):
            continue
        with transaction.atomic():
            translate_instance(page, en, STRINGS)
        created += 1
    return created, Page.objects.filter(locale=en, alias_of__isnull=True).count()
