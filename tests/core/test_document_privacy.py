"""A document downloads for anyone only while a public page uses it in its published
content; otherwise for editors, and for those who may view a restricted page using it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from pioneer.editorial.role_setup import STATION_MANAGERS
from tests.support.factories import make_document, make_lesson

pytestmark = pytest.mark.django_db


def attach(title, document, restriction=None, publish=True):
    page = make_lesson(
        title, body=[("attachment", {"document": document, "title": ""})], publish=publish
    )
    if restriction:
        kind, *groups = restriction
        created = PageViewRestriction.objects.create(
            page=page, restriction_type=kind, password="口令" if kind == "password" else ""
        )
        created.groups.add(*groups)
    return page


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_document_of_a_login_only_page_asks_for_a_login(client):
    document = make_document("内部材料", b"%PDF-1.4 internal")
    attach("内部课程甲", document, (PageViewRestriction.LOGIN,))
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"] and "next=" in response["Location"]

    user = get_user_model().objects.create_user("learner", password="pw-Learner-1")
    client.force_login(user)
    response = client.get(document.url)
    assert response.status_code == 200
    assert content(response) == b"%PDF-1.4 internal"


def test_document_of_a_group_page_is_refused_to_others(client):
    managers = Group.objects.get(name=STATION_MANAGERS)
    document = make_document("站务材料", b"%PDF-1.4 managers")
    attach("站务课程乙", document, (PageViewRestriction.GROUPS, managers))
    outsider = get_user_model().objects.create_user("outsider", password="pw-Outsider-1")
    client.force_login(outsider)
    assert client.get(document.url).status_code == 403

    manager = get_user_model().objects.create_user("manager", password="pw-Manager-1")
    manager.groups.add(managers)
    client.force_login(manager)
    assert client.get(document.url).status_code == 200


def test_document_of_a_password_page_sends_to_the_page(client):
    document = make_document("口令材料", b"%PDF-1.4 password")
    page = attach("口令课程丙", document, (PageViewRestriction.PASSWORD,))
    response = client.get(document.url)
    assert response.status_code == 302 and response["Location"] == page.url
    restriction = PageViewRestriction.objects.get(page=page)
    answer = client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id]),
        {"password": "口令", "return_url": page.url},
    )
    assert answer.status_code == 302
    assert client.get(document.url).status_code == 200


def test_document_also_on_a_public_page_stays_public(client):
    document = make_document("共用材料", b"%PDF-1.4 shared")
    attach("内部课程丁", document, (PageViewRestriction.LOGIN,))
    attach("公开课程戊", document)
    assert client.get(document.url).status_code == 200


def test_document_no_page_uses_is_private_until_one_does(client, admin_user):
    """An upload no page uses yet (or any more) is for editors only."""
    document = make_document("独立材料", b"%PDF-1.4 alone")
    response = client.get(document.url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(admin_user)
    assert content(client.get(document.url)) == b"%PDF-1.4 alone"
    client.logout()
    attach("公开课程辛", document)
    assert content(client.get(document.url)) == b"%PDF-1.4 alone"


def test_document_only_in_a_draft_of_a_live_page_is_private(client, admin_user):
    """A published lesson's new draft attaches a file: until that draft is published,
    the file is the draft's, not the public's."""
    page = make_lesson("已发布课程壬")
    document = make_document("草稿附件", b"%PDF-1.4 draft of a live page")
    page.body = [("attachment", {"document": document, "title": ""})]
    revision = page.save_revision()
    assert client.get(document.url).status_code == 302
    outsider = get_user_model().objects.create_user("reader", password="pw-Reader-1")
    client.force_login(outsider)  # logged in, but no editor
    assert client.get(document.url).status_code == 403
    client.force_login(admin_user)
    assert content(client.get(document.url)) == b"%PDF-1.4 draft of a live page"
    client.logout()
    revision.publish()
    assert content(client.get(document.url)) == b"%PDF-1.4 draft of a live page"


def test_document_of_an_unpublished_page_is_private_again(client):
    document = make_document("撤回材料", b"%PDF-1.4 withdrawn")
    page = attach("撤回课程癸", document)
    assert client.get(document.url).status_code == 200
    page.unpublish()
    assert client.get(document.url).status_code == 302


def test_document_of_a_draft_is_not_public_yet(client, admin_user):
    document = make_document("草稿材料", b"%PDF-1.4 draft")
    attach("草稿课程己", document, publish=False)
    assert client.get(document.url).status_code == 302
    client.force_login(admin_user)  # editors preview drafts with their files
    assert client.get(document.url).status_code == 200


def test_document_responses_are_never_stored_by_shared_caches(client):
    """A CDN or proxy must not keep a download, nor a redirect to a signed link or to
    the login, and hand it to the next person."""
    public = make_document("公开材料", b"%PDF-1.4 public")
    attach("公开课程庚", public)
    response = client.get(public.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]

    private = make_document("内部材料", b"%PDF-1.4 internal")
    attach("内部课程庚", private, (PageViewRestriction.LOGIN,))
    response = client.get(private.url)
    assert response.status_code == 302
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
