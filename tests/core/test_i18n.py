"""Chinese first, English second: trees, switcher, hreflang, PO round trip, catalogues."""

import datetime
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from wagtail.models import Locale, Page

from lessons.models import LessonPage
from pioneer.demo.english import translate_instance
from pioneer.models import Region

ROOT = Path(__file__).resolve().parents[2]


def _en():
    return Locale.objects.get(language_code="en")


@pytest.fixture
def translated_lesson(db):
    """An English lesson translated through a PO file (as translators do), newest of all so
    the English index lists it first; with a region and media, whose sync the tests check.
    The lessons index gets its English too (the demo's words), else /en/lessons/ is only an
    alias sending readers to the Chinese list."""
    from lessons.models import LessonIndexPage
    from tests.support.factories import make_media_lesson, make_translation, region

    index = LessonIndexPage.objects.get(locale__language_code="zh-hans", slug="lessons")
    make_translation(index, {index.title: "Lessons"})
    lesson = make_media_lesson(
        "译文测试课程",
        audio=True,
        region=region("tonglu"),
        duration_minutes=25,
        date=datetime.date(2026, 12, 1),
    )
    return make_translation(
        lesson, {lesson.title: "Translated test lesson", lesson.summary: "Its summary"}
    )


@pytest.fixture
def untranslated_lesson(db):
    """A Chinese lesson whose English version is only the alias the admin gives a new page."""
    from wagtail_localize.synctree import create_aliases_for_new_page

    from tests.support.factories import make_lesson

    lesson = make_lesson("未译测试课程", date=datetime.date(2026, 12, 2))
    create_aliases_for_new_page(lesson)
    return lesson


@pytest.fixture
def translated_policy(db):
    from tests.support.factories import make_policy, make_translation

    policy = make_policy("译文测试文件", doc_number="浙测译〔2026〕7号")
    return make_translation(policy, {policy.title: "Translated test policy"})


@pytest.mark.django_db
@pytest.mark.demo
def test_english_tree_is_synchronised_with_aliases():
    zh_lessons = LessonPage.objects.filter(locale__language_code="zh-hans").count()
    assert LessonPage.objects.filter(locale=_en()).count() == zh_lessons
    aliases = LessonPage.objects.filter(locale=_en(), alias_of__isnull=False)
    assert aliases.exists()


@pytest.mark.django_db
def test_translated_page_has_both_versions_with_synchronised_fields(client, translated_lesson):
    english = translated_lesson
    chinese = english.get_translation(Locale.objects.get(language_code="zh-hans")).specific
    assert english.title != chinese.title
    assert english.date == chinese.date
    assert english.function == chinese.function
    assert english.duration_minutes == chinese.duration_minutes
    media_zh = [b.value["file"].pk for b in chinese.body if b.block_type in ("video", "audio")]
    media_en = [b.value["file"].pk for b in english.body if b.block_type in ("video", "audio")]
    assert media_en == media_zh  # the same files, not copies
    assert english.region.locale == _en()  # the region snippet's English translation
    html = client.get(english.url).content.decode()
    assert 'lang="en"' in html and english.title in html


@pytest.mark.django_db
def test_policy_translation_keeps_its_document_number(translated_policy):
    english = translated_policy
    chinese = english.get_translation(Locale.objects.get(language_code="zh-hans"))
    assert english.doc_number == chinese.specific.doc_number


@pytest.mark.django_db
def test_switcher_goes_to_the_same_page_when_translated(client, translated_lesson):
    english = translated_lesson
    chinese = english.get_translation(Locale.objects.get(language_code="zh-hans"))
    html = client.get(chinese.url).content.decode()
    assert f'href="{english.url}" lang="en"' in html
    back = client.get(english.url).content.decode()
    assert f'href="{chinese.url}" lang="zh-Hans"' in back


@pytest.mark.django_db
def test_switcher_goes_to_the_other_home_when_not_translated(client, untranslated_lesson):
    lesson = untranslated_lesson
    html = client.get(lesson.url).content.decode()
    assert 'href="/en/" lang="en"' in html


@pytest.mark.django_db
def test_untranslated_alias_sends_the_reader_to_the_original(client, untranslated_lesson):
    lesson = untranslated_lesson
    alias = lesson.get_translation(_en())
    response = client.get(alias.url)
    assert response.status_code == 302
    assert response["Location"] == lesson.url


@pytest.mark.django_db
def test_hreflang_alternates_in_the_head(client, translated_lesson):
    english = translated_lesson
    chinese = english.get_translation(Locale.objects.get(language_code="zh-hans"))
    html = client.get(chinese.url).content.decode()
    # On the public address, whatever host the request came by.
    assert f'hreflang="en" href="{settings.SITE_URL}{english.url}"' in html
    assert f'hreflang="zh-Hans" href="{settings.SITE_URL}{chinese.url}"' in html
    assert 'hreflang="x-default"' in html


@pytest.mark.django_db
def test_english_listing_and_search_leave_out_untranslated_pages(
    client, untranslated_lesson, translated_lesson
):
    lesson = untranslated_lesson
    index_html = client.get("/en/lessons/").content.decode()
    assert lesson.title not in index_html
    translated = translated_lesson
    assert translated.title in index_html
    search_html = client.get("/en/search/", {"q": lesson.title}).content.decode()
    assert f">{lesson.title}<" not in search_html


@pytest.mark.django_db
@pytest.mark.demo
def test_english_interface_strings(client):
    html = client.get("/en/").content.decode()
    assert "Large text" in html
    assert "Pioneers of the Times" in html  # the translated SiteText snippet
    assert "Skip to content" in html or "Skip to main content" in html


@pytest.mark.django_db
def test_region_snippet_is_translated():
    zh = Region.objects.get(slug="tonglu", locale__language_code="zh-hans")
    en = zh.get_translation(_en())
    assert en.name != zh.name and en.parent.locale == _en()


@pytest.mark.django_db
def test_po_round_trip_for_a_translation_office(client, untranslated_lesson):
    lesson = untranslated_lesson
    strings = {}
    from wagtail_localize.models import Translation, TranslationSource

    source, _ = TranslationSource.get_or_create_from_instance(lesson)
    translation = Translation.objects.create(source=source, target_locale=_en())
    exported = str(translation.export_po())
    po = polib.pofile(exported)  # what the office receives, as text
    assert lesson.title in [entry.msgid for entry in po]
    for entry in po:
        strings[entry.msgid] = f"EN {len(strings)}"
    translate_instance(lesson, _en(), strings)
    english = lesson.get_translation(_en()).specific
    assert english.alias_of_id is None
    assert english.title == strings[lesson.title]
    assert english.summary == strings[lesson.summary]
    assert client.get(english.url).status_code == 200


@pytest.mark.serial  # makemessages writes working copies of templates beside them
def test_makemessages_leaves_nothing_untranslated(tmp_path):
    shutil.copytree(ROOT / "site" / "locale", tmp_path / "locale")
    env = dict(os.environ, LOCALE_DIR=str(tmp_path / "locale"))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore",
            ".venv",
            "--ignore",
            "var",
            "--ignore",
            "media",
            "--ignore",
            "bench",
            "--ignore",
            "site/locale",  # else makemessages writes site/'s strings into the real catalogue
            "--ignore",  # copies of Wagtail's templates: Wagtail's strings
            "site/templates/wagtailusers",
            "--ignore",
            "site/templates/wagtaillocales",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for language in ("en", "zh_Hans"):
        po = polib.pofile(str(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"))
        missing = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
        assert missing == [], language


@pytest.mark.django_db
def test_unpublished_translation_is_not_public(client, translated_lesson):
    english = translated_lesson
    english.unpublish()
    assert english.title not in client.get("/en/lessons/").content.decode()
    assert Page.objects.filter(pk=english.pk, live=False).exists()


@pytest.mark.django_db
def test_sitemap_lists_both_languages_with_alternates(
    client, translated_lesson, untranslated_lesson
):
    english = translated_lesson
    chinese = english.get_translation(Locale.objects.get(language_code="zh-hans"))
    untranslated_alias = untranslated_lesson.get_translation(_en())
    from tests.support import sitemap

    xml = sitemap.text(client)  # the index's files
    assert english.full_url in xml and chinese.full_url in xml
    assert f'hreflang="en" href="{english.full_url}"' in xml
    assert untranslated_alias.full_url not in xml


@pytest.mark.django_db
def test_robots_and_favicon(client):
    assert "Sitemap:" in client.get("/robots.txt").content.decode()
    assert client.get("/favicon.ico").status_code == 302


@pytest.mark.django_db
def test_document_numbers_are_not_offered_for_translation():
    from wagtail_localize.models import StringSegment, TranslationSource

    from tests.support.factories import make_policy

    policy = make_policy("未译测试文件", doc_number="浙测译〔2026〕8号")
    source, _ = TranslationSource.update_or_create_from_instance(policy)
    strings = set(
        StringSegment.objects.filter(source=source).values_list("string__data", flat=True)
    )
    assert policy.title in strings
    assert policy.doc_number not in strings
