"""Pages made in the admin get ASCII pinyin slugs, unique among their siblings, in the
editor as the title is typed and on save; editors may still type their own."""

import re

import pytest
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from lessons.models import LessonPage
from pioneer.core.slugs import PinyinSlugPageForm, pinyin_slug
from tests.support.factories import function_index

ASCII_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
TITLE = "高山茶园春季修剪与施肥技术"


def _create(client, parent, title, slug=""):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": "摘要",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "function": parent.function,
            "tags": "",
            "region": "",
            "date": "2026-03-01",
            "producer": "",
            "audience": "",
            "duration_minutes": "",
            "seo_title": "",
            "search_description": "",
            "comments": inline_formset([]),
        }
    )
    response = client.post(f"/admin/pages/add/lessons/lessonpage/{parent.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    chinese = LessonPage.objects.filter(title=title, locale__language_code="zh-hans")
    return chinese.order_by("-pk").first()  # (its English alias has the same title)


def test_pinyin_slug_joins_syllables_by_word():
    assert pinyin_slug("水稻叠盘育秧") == "shuidao-diepan-yuyang"
    slug = pinyin_slug("《乡村振兴》2026年：茶园ABC管理（第2讲）")
    assert ASCII_SLUG.fullmatch(slug) and "2026" in slug and "abc" in slug, slug
    assert len(pinyin_slug("中华人民共和国" * 20)) <= 80


@pytest.mark.django_db
def test_page_created_in_the_admin_gets_an_ascii_pinyin_slug(client, admin_user):
    """What the create view gets without the editor's script (or before it answered): the
    slug is made from the title on save, and a second page of the same title gets -2."""
    client.force_login(admin_user)
    parent = function_index("skills")
    first = _create(client, parent, TITLE)
    assert ASCII_SLUG.fullmatch(first.slug) and first.slug.startswith("gaoshan"), first.slug
    second = _create(client, parent, TITLE, slug=first.slug)  # the script's suggestion
    assert second.slug == f"{first.slug}-2"
    assert first.url_path.isascii()


@pytest.mark.django_db
def test_editors_may_type_their_own_slug(client, admin_user):
    client.force_login(admin_user)
    parent = function_index("skills")
    assert _create(client, parent, TITLE, slug="chayuan-2026").slug == "chayuan-2026"
    assert _create(client, parent, "春茶采摘", slug="春茶").slug == "chuncha"


@pytest.mark.django_db
def test_the_editors_script_asks_for_the_slug_of_the_title(client, admin_user):
    client.force_login(admin_user)
    parent = function_index("skills")
    answer = client.get("/admin/pinyin-slug/", {"title": TITLE, "parent": parent.pk}).json()
    assert answer["slug"] == pinyin_slug(TITLE)
    page = _create(client, parent, TITLE)
    taken = client.get("/admin/pinyin-slug/", {"title": TITLE, "parent": parent.pk}).json()
    assert taken["slug"] == f"{page.slug}-2"
    # Editing the page itself does not count its own slug as taken.
    own = {"title": TITLE, "parent": parent.pk, "page": page.pk}
    assert client.get("/admin/pinyin-slug/", own).json()["slug"] == page.slug
    form = client.get(f"/admin/pages/add/lessons/lessonpage/{parent.pk}/").content.decode()
    assert 'data-controller="w-slug pinyin-slug"' in form and "pinyin-slug.js" in form


def test_every_page_type_uses_the_pinyin_slug_form():
    for model in get_page_models():
        if model.__module__.split(".")[0] in ("home", "lessons", "news"):
            form_class = model.get_edit_handler().get_form_class()
            assert issubclass(form_class, PinyinSlugPageForm), model.__name__
