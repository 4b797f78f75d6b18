"""The admin speaks Chinese throughout: its main views, as a county editor and as the
province's superuser, show no untranslated English (Wagtail's own catalogue lacks about
430 of its messages in Simplified Chinese; ours fill them in, see site/locale/overrides/)."""

from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.translation import trans_real
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Site, Task, Workflow

from lessons.models import LessonIndexPage
from pioneer.models import Region, SiteText, Topic
from search.models import SynonymGroup
from tests.support.admin_text import english_words, untranslated
from tests.support.editorial import make_user


@pytest.fixture
def content(db):
    """What the admin's views show: a Tonglu lesson with every kind of block (found by the
    search for 水稻), a Tonglu news item, a picture and a document."""
    from tests.support.factories import (
        make_document,
        make_image,
        make_media_lesson,
        make_news,
        region,
    )

    lesson = make_media_lesson(
        "水稻育秧测试课程", audio=True, region=region("tonglu"), tags=["水稻"]
    )
    return {
        "lesson": lesson,
        "news": make_news("桐庐测试新闻", "tonglu"),
        "image": make_image("测试图片"),
        "document": make_document("测试文件"),
    }


def _superuser_paths(content):
    home = Page.objects.get(depth=2, locale__language_code="zh-hans")
    lesson = content["lesson"]
    index = LessonIndexPage.objects.filter(locale__language_code="zh-hans").first()
    group = Group.objects.order_by("name").first()
    region = Region.objects.filter(locale__language_code="zh-hans").first()
    synonyms = SynonymGroup.objects.order_by("pk").first()
    site = home.get_site()
    return [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{index.pk}/",
        f"/admin/pages/{lesson.pk}/edit/",
        f"/admin/pages/add/lessons/lessonpage/{index.pk}/",
        f"/admin/pages/{home.pk}/add_subpage/",
        f"/admin/pages/{lesson.pk}/history/",
        "/admin/pages/search/?q=水稻",
        "/admin/snippets/",
        reverse(Region.snippet_viewset.get_url_name("list")),
        reverse(Region.snippet_viewset.get_url_name("edit"), args=[region.pk]),
        reverse(SynonymGroup.snippet_viewset.get_url_name("list")),
        reverse(SynonymGroup.snippet_viewset.get_url_name("add")),
        reverse(SynonymGroup.snippet_viewset.get_url_name("edit"), args=[synonyms.pk]),
        reverse(SynonymGroup.snippet_viewset.get_url_name("history"), args=[synonyms.pk]),
        "/admin/reports/search-queries/",
        "/admin/images/",
        f"/admin/images/{content['image'].pk}/",
        "/admin/documents/",
        f"/admin/documents/edit/{content['document'].pk}/",
        "/admin/users/",
        "/admin/groups/",
        f"/admin/groups/edit/{group.pk}/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
        "/admin/reports/tasks/",
        "/admin/workflows/list/",
        f"/admin/workflows/edit/{Workflow.objects.first().pk}/",
        "/admin/workflows/tasks/index/",
        f"/admin/workflows/tasks/edit/{Task.objects.first().pk}/",
        reverse("wagtailsettings:edit", args=["pioneer", "sitesettings", site.pk]),
        "/admin/import/",
        "/admin/searchpicks/",
        "/admin/redirects/",
        "/admin/account/",
        "/admin/sites/",
        f"/admin/sites/edit/{site.pk}/",
        "/admin/locales/",
    ]


def _editor_paths(content):
    lesson = content["lesson"]
    index = lesson.get_parent()
    news = content["news"]
    paths = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{index.pk}/",
        f"/admin/pages/add/lessons/lessonpage/{index.pk}/",
        f"/admin/pages/{index.pk}/add_subpage/",
        "/admin/pages/search/?q=水稻",
        "/admin/images/",
        "/admin/documents/",
        "/admin/account/",
    ]
    if news is not None:
        paths.append(f"/admin/pages/{news.pk}/edit/")
    return paths


def _content():
    """What editors wrote (the English pages' titles among it) and data named in code."""
    pages = Page.objects.filter(depth__gt=1)  # the root is Wagtail's, named by a migration
    texts = set(pages.values_list("title", flat=True))
    texts |= set(pages.values_list("draft_title", flat=True))
    texts |= set(Region.objects.values_list("name", flat=True))
    texts |= set(Region.objects.values_list("slug", flat=True))
    texts |= set(Topic.objects.values_list("name", flat=True))
    texts |= set(Image.objects.values_list("title", flat=True))
    texts |= set(Document.objects.values_list("title", flat=True))
    texts |= set(get_user_model().objects.values_list("username", flat=True))
    texts |= set(Site.objects.values_list("hostname", flat=True))
    for group in SynonymGroup.objects.all():
        texts |= {str(group), group.terms, group.also_finds, group.source, group.note}
    for text in SiteText.objects.all():
        texts |= {text.site_name, text.tagline, text.organisation, text.contact_address}
    return sorted((t for t in texts if t), key=len, reverse=True)


# The Python None Wagtail prints into a counter that stays hidden until JavaScript fills it.
UNTRANSLATABLE = {"None"}


def _english_on(client, paths):
    found = {}
    content = _content()
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
        if response.status_code != 200:
            found[path] = response.status_code
            continue
        english = untranslated(response.content.decode(), content=content)
        english = [piece for piece in english if piece not in UNTRANSLATABLE]
        if english:
            found[path] = english
    return found


def _report(found):
    return "\n".join(f"{path}: {english!r}" for path, english in found.items())


def test_superusers_admin_has_no_untranslated_english(client, admin_user, content):
    client.force_login(admin_user)
    found = _english_on(client, _superuser_paths(content))
    assert not found, _report(found)


def test_county_editors_admin_has_no_untranslated_english(client, content):
    client.force_login(make_user("tonglu-editor", "tonglu", "editor"))
    found = _english_on(client, _editor_paths(content))
    assert not found, _report(found)


def _english_catalogues(domain):
    """The catalogues of the installed Wagtail and wagtail-localize apps: every message
    they show."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.split(".")[0] in ("wagtail", "wagtail_localize"):
            path = Path(config.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                yield path


def _missing(domain, catalog):
    missing = []
    for path in _english_catalogues(domain):
        for entry in polib.pofile(str(path)):
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if entry.msgid_plural:
                key = (key, 0)
            if catalog.get(key) in (None, ""):
                missing.append(entry.msgid)
    return missing


def test_every_wagtail_message_has_simplified_chinese():
    """Server-side messages (templates, Python, e-mails): Wagtail's catalogue, then ours."""
    catalog = trans_real.translation("zh-hans")._catalog
    assert _missing("django", catalog) == []


def test_every_wagtail_admin_script_message_has_simplified_chinese():
    """The admin's scripts get their strings from /admin/jsi18n/ ("Saved", "(2 new items in
    this menu)"): the same catalogue the view serves, Wagtail's package first, then ours."""
    from django.views.i18n import JavaScriptCatalog

    view = JavaScriptCatalog(packages=["wagtail.admin", "wagtail_localize"])
    catalog = trans_real.DjangoTranslation(
        "zh-hans", domain="djangojs", localedirs=view.get_paths(view.packages)
    )._catalog
    assert _missing("djangojs", catalog) == []


@pytest.mark.django_db
def test_script_catalogue_answers_in_chinese(client, admin_user):
    client.force_login(admin_user)
    script = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "\\u6b64\\u83dc\\u5355" in script or "此菜单" in script  # (… new items in this menu)


@pytest.mark.django_db
def test_workflow_mail_to_superusers_is_in_chinese(client, admin_user):
    """Wagtail mails superusers when a page enters a workflow; its subject and text were
    English ("The page … has been submitted to workflow …")."""
    from django.core import mail

    from tests.support.review import submit_new_lesson

    mail.outbox.clear()
    submit_new_lesson(client, make_user("tonglu-editor", "tonglu", "editor"), "tonglu")
    to_boss = [message for message in mail.outbox if admin_user.email in message.to]
    assert to_boss, [message.subject for message in mail.outbox]
    for message in to_boss:
        text = f"{message.subject}\n{message.body}"
        for username in get_user_model().objects.values_list("username", flat=True):
            text = text.replace(username, "")
        assert english_words(text) == [], text
        assert "审核流程" in text


@pytest.mark.django_db
def test_login_page_and_its_error_are_in_chinese(client):
    """The first admin page everyone sees: its password field was labelled "Password", and
    a wrong password gave Wagtail's "用户 用户名 密码不匹配，请重试"."""
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert untranslated(page) == []
    assert "密码" in page
    assert "登录时代先锋网管理后台" in page  # was "登录Wagtail"
    wrong = client.post(
        "/admin/login/",
        {"username": "nobody-here", "password": "wrong-password"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert wrong.status_code == 200
    page = wrong.content.decode()
    assert untranslated(page) == []
    assert "用户名或密码不正确，请重试。" in page
