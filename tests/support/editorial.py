"""Helpers for tests of the offices' roles: users in the groups ``setup_roles`` made, and
the admin's edit form as a browser would post it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from pioneer.editorial.role_setup import group_name
from tests.support.factories import region

PASSWORD = "Pioneer-test-pass-1"


def make_user(username, region_slug, kind, email=None):
    """A user in the office ``region_slug``'s editor or reviewer group."""
    user = get_user_model().objects.create_user(
        username, email or f"{username}@example.org", PASSWORD
    )
    user.groups.add(Group.objects.get(name=group_name(region(region_slug), kind)))
    return user


def lesson_form(page, action=None, **changes):
    """The lesson edit form's fields as the admin posts them."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": streamfield([("paragraph", rich_text(changes.pop("text", "<p>正文内容</p>")))]),
        "function": page.function,
        "tags": "",
        "region": page.region_id or "",
        "date": page.date.isoformat(),
        "producer": page.producer,
        "audience": page.audience,
        "duration_minutes": page.duration_minutes or "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
    }
    return _posted(data, action, changes)


def _posted(data, action, changes):
    data.update(changes)
    posted = nested_form_data(data)
    if action:
        posted[action] = "1"
    return posted


def news_form(page, action=None, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "date": page.date.isoformat(),
        "region": page.region_id or "",
        "source": page.source,
        "body": streamfield([("paragraph", rich_text(changes.pop("text", "<p>新闻正文</p>")))]),
        "tags": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
    }
    return _posted(data, action, changes)


def policy_form(page, action=None, **changes):
    """The policy document form's fields as the admin posts them."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "doc_type": page.doc_type,
        "status": page.status,
        "issuer": page.issuer,
        "region": page.region_id or "",
        "doc_number": page.doc_number,
        "issue_date": page.issue_date.isoformat(),
        "effective_date": "",
        "summary": page.summary,
        "body": streamfield([("paragraph", rich_text(changes.pop("text", "<p>文件全文</p>")))]),
        "relations": inline_formset([]),
        "tags": "",
        "change_note": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
    }
    return _posted(data, action, changes)


def review_chain_offices():
    """The offices along one review chain (Tonglu county, Hangzhou city, the province, and
    their neighbours Anji and Huzhou): an editor of Tonglu and each office's reviewer."""
    return {
        "author": make_user("tonglu-editor", "tonglu", "editor"),
        "tonglu": make_user("tonglu-reviewer", "tonglu", "reviewer"),
        "anji": make_user("anji-reviewer", "anji", "reviewer"),
        "hangzhou": make_user("hangzhou-reviewer", "hangzhou", "reviewer"),
        "huzhou": make_user("huzhou-reviewer", "huzhou", "reviewer"),
        "province": make_user("province-reviewer", "zhejiang", "reviewer"),
    }
