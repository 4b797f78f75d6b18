"""Editors reach the Wagtail admin, in Chinese."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_works(client, admin_user):
    login_page = client.get("/admin/login/")
    assert login_page.status_code == 200
    response = client.post(
        "/admin/login/", {"username": "boss", "password": "s3cret-Pass!"}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert "仪表板" in response.content.decode() or "控制面板" in response.content.decode()


def test_admin_login_refuses_a_wrong_password(client, admin_user):
    response = client.post("/admin/login/", {"username": "boss", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_admin_edit_forms_open_for_every_page_type(client, admin_user):
    from tests.support.factories import one_of_each
    from tests.support.page_types import PAGE_TYPES

    pages = one_of_each()
    client.force_login(admin_user)
    for model in PAGE_TYPES:
        page = pages[model]
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, model.__name__


def test_site_settings_are_editable_and_shown_in_footer(client, admin_user):
    from wagtail.models import Site

    from pioneer.models import SiteSettings

    site = Site.objects.get(is_default_site=True)
    client.force_login(admin_user)
    response = client.get(f"/admin/settings/pioneer/sitesettings/{site.pk}/")
    assert response.status_code == 200
    settings_obj = SiteSettings.for_site(site)
    settings_obj.icp_number = "浙ICP备12345678号"
    settings_obj.save()
    client.logout()
    assert "浙ICP备12345678号" in client.get("/zh-hans/").content.decode()
