"""A missing page shows the site's own 404 page in development too (DEBUG on), not
Django's technical page with the URL patterns."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/zh-hans/no-such-page/", "/en/lessons/no-such-lesson/"])
def test_development_server_answers_a_missing_page_with_the_sites_page(client, settings, path):
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body or "Page not found" in body
    assert "404.html" in [t.name for t in response.templates]
    assert "Raised by" not in body and "URLconf" not in body


@pytest.mark.django_db
def test_production_answers_a_missing_page_with_the_same_page(client, settings):
    settings.DEBUG = False
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
