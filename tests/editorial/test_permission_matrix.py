"""Every office role against every page action, on its own region's pages and another
region's, through the admin's own HTTP views (what a browser posts, not the API)."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from lessons.models import LessonPage
from news.models import NewsPage
from tests.support.editorial import PASSWORD, lesson_form, make_user, news_form, region
from tests.support.factories import function_index, make_lesson, make_news, news_section

ACTIONS = ["add", "edit", "publish", "unpublish", "delete", "move", "lock"]

# role -> (region of the user's office, region of "own" pages, region of "other" pages)
ROLES = {
    "province_editor": ("zhejiang", "editor", "tonglu", "ningbo"),
    "province_reviewer": ("zhejiang", "reviewer", "tonglu", "ningbo"),
    "city_editor": ("hangzhou", "editor", "hangzhou", "ningbo"),
    "city_reviewer": ("hangzhou", "reviewer", "hangzhou", "ningbo"),
    "county_editor": ("tonglu", "editor", "tonglu", "ningbo"),
    "county_reviewer": ("tonglu", "reviewer", "tonglu", "ningbo"),
}

ALL = set(ACTIONS)
EDITOR = {"add", "edit"}
REVIEWER = {"add", "edit", "lock"}

# What each role may do on its own region's pages; on another region's, nothing
# (province roles cover every region, so their "other" equals their "own").
LESSONS = {
    "province_editor": EDITOR | {"lock"},
    "province_reviewer": ALL,
    "city_editor": EDITOR,
    "city_reviewer": REVIEWER,
    "county_editor": EDITOR,
    "county_reviewer": REVIEWER,
}
NEWS = {
    "province_editor": EDITOR | {"lock"},
    "province_reviewer": ALL,
    "city_editor": EDITOR,
    # The city reviewers are the news workflow's last stage, so they may publish.
    "city_reviewer": ALL,
    "county_editor": EDITOR,
    "county_reviewer": REVIEWER,
}


def expected(table, role, scope, action):
    if scope == "other" and not role.startswith("province"):
        return False
    return action in table[role]


def perform(client, kind, action, page, region_slug, new_slug):
    """Try ``action`` as the logged-in user; True when it took effect."""
    if action == "add":
        if kind == "lesson":
            parent = function_index("skills")
            template = LessonPage(
                title="新建课程", slug=new_slug, summary="摘要", function="skills"
            )
            template.region = region(region_slug)
            template.date = page.date
            data = lesson_form(template)
            url = reverse("wagtailadmin_pages:add", args=("lessons", "lessonpage", parent.pk))
        else:
            parent = news_section(region_slug)
            template = NewsPage(title="新建新闻", slug=new_slug, summary="摘要", source="")
            template.region = region(region_slug)
            template.date = page.date
            data = news_form(template)
            url = reverse("wagtailadmin_pages:add", args=("news", "newspage", parent.pk))
        client.post(url, data)
        return Page.objects.filter(slug=new_slug).exists()

    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    form = lesson_form if kind == "lesson" else news_form
    if action == "edit":
        client.post(edit_url, form(page, title="改过的标题"))
        page.refresh_from_db()
        return page.get_latest_revision_as_object().title == "改过的标题"
    if action == "publish":
        client.post(edit_url, form(page, action="action-publish", title="发布的新标题"))
        page.refresh_from_db()
        return page.title == "发布的新标题" and page.live
    if action == "unpublish":
        client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
        page.refresh_from_db()
        return not page.live
    if action == "delete":
        client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
        return not Page.objects.filter(pk=page.pk).exists()
    if action == "move":
        if kind == "lesson":
            target = function_index("culture")
        else:
            target = news_section(
                {"hangzhou": "tonglu", "tonglu": "hangzhou"}.get(region_slug, "yuyao")
            )
        client.post(reverse("wagtailadmin_pages:move_confirm", args=(page.pk, target.pk)))
        page.refresh_from_db()
        return page.get_parent().pk == target.pk
    if action == "lock":
        client.post(reverse("wagtailadmin_pages:lock", args=(page.pk,)))
        page.refresh_from_db()
        return page.locked
    raise AssertionError(action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("kind", ["lesson", "news"])
def test_role_may_or_may_not(db, client, kind, role, scope, action):
    office, group_kind, own, other = ROLES[role]
    user = make_user(f"{role}-{kind}-{scope}-{action}", office, group_kind)
    region_slug = own if scope == "own" else other
    if kind == "lesson":
        page = make_lesson("受测课程", region=region(region_slug))
    else:
        page = make_news("受测新闻", region_slug)
    assert client.login(username=user.username, password=PASSWORD)
    table = LESSONS if kind == "lesson" else NEWS
    done = perform(client, kind, action, page, region_slug, f"new-{kind}-{role}-{scope}")
    assert done is expected(table, role, scope, action), (
        f"{role} {action} on {scope} {kind}: {'allowed' if done else 'denied'}"
    )
