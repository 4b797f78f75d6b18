"""The elder-friendly mode works with plain links and a cookie, no JavaScript."""

import pytest

pytestmark = pytest.mark.django_db


def test_elder_mode_link_sets_cookie_and_returns(client):
    response = client.get("/mode/", {"mode": "elder", "next": "/zh-hans/lessons/"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/lessons/"
    assert response.cookies["mode"].value == "elder"
    html = client.get("/zh-hans/").content.decode()
    assert '<html lang="zh-Hans" class="elder">' in html
    assert "退出大字模式" in html


def test_elder_mode_can_be_turned_off(client):
    client.cookies["mode"] = "elder"
    response = client.get("/mode/", {"mode": "normal", "next": "/zh-hans/"})
    assert response.cookies["mode"].value == ""
    client.cookies.pop("mode", None)
    assert 'class="elder"' not in client.get("/zh-hans/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_mode_switch_never_redirects_off_site(client, target):
    response = client.get("/mode/", {"mode": "elder", "next": target})
    assert response["Location"] == "/"
