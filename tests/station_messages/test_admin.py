"""站点留言 in the admin: an office sees the messages of the regions it covers and no
other; only they see a phone number; a reply is recorded, and publishing needs the
asker's consent, a reply and the question without personal data."""

import pytest

from station_messages.models import StationMessage
from tests.station_messages.conftest import LISTING, NEW, edit_url, form_data, make_message
from tests.support.editorial import make_user
from tests.support.factories import region

pytestmark = pytest.mark.django_db


def _editor_form(message, **changes):
    data = {
        "status": message.status,
        "reply": message.reply,
        "public_question": message.public_question,
    }
    if message.published:
        data["published"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_message_from_the_public_form_reaches_only_its_countys_editors(
    client, tonglu_editor, anji_editor
):
    client.post(NEW, form_data(text="桐庐县某村的留言：想点播茶叶修剪的课程。"))
    message = StationMessage.objects.get()

    client.force_login(tonglu_editor)
    html = client.get(LISTING).content.decode()
    assert edit_url(message) in html and "桐庐县" in html
    page = client.get(edit_url(message))
    assert page.status_code == 200
    assert "想点播茶叶修剪的课程" in page.content.decode()
    assert "13800000000" in page.content.decode()

    client.force_login(anji_editor)
    html = client.get(LISTING).content.decode()
    assert edit_url(message) not in html
    assert client.get(edit_url(message)).status_code == 404
    assert client.post(edit_url(message), _editor_form(message, reply="x")).status_code == 404


def test_a_city_office_sees_its_counties_and_the_province_sees_all(client):
    tonglu = make_message("tonglu")
    anji = make_message("anji")
    client.force_login(make_user("hangzhou-editor", "hangzhou", "editor"))
    html = client.get(LISTING).content.decode()
    assert edit_url(tonglu) in html and edit_url(anji) not in html
    client.force_login(make_user("province-editor", "zhejiang", "editor"))
    html = client.get(LISTING).content.decode()
    assert edit_url(tonglu) in html and edit_url(anji) in html


def test_the_phone_is_not_shown_to_an_editor_of_another_region(client, anji_editor):
    message = make_message("tonglu", phone="13912345678")
    client.force_login(anji_editor)
    for url in (
        LISTING,
        LISTING + "?status=new",
        edit_url(message),
        f"{LISTING}history/{message.pk}/",
        f"{LISTING}usage/{message.pk}/",
        "/admin/snippets/choose/station_messages/stationmessage/",
        f"/admin/snippets/choose/station_messages/stationmessage/chosen/{message.pk}/",
    ):
        response = client.get(url)
        assert "13912345678" not in response.content.decode(), url
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        assert "村里的远教站点" not in response.content.decode(), url


def test_no_office_adds_or_deletes_a_message(client, tonglu_editor):
    message = make_message("tonglu")
    client.force_login(tonglu_editor)
    assert client.get(LISTING + "add/").status_code in (302, 403)
    assert client.post(f"{LISTING}delete/{message.pk}/").status_code in (302, 403)
    assert StationMessage.objects.filter(pk=message.pk).exists()


def test_the_listing_filters_by_status(client, tonglu_editor):
    new = make_message("tonglu")
    closed = make_message("tonglu", status=StationMessage.Status.CLOSED, reply="已办结。")
    client.force_login(tonglu_editor)
    html = client.get(LISTING + "?status=closed").content.decode()
    assert edit_url(closed) in html and edit_url(new) not in html


def test_a_reply_is_recorded_with_its_author_and_answers_the_message(client, tonglu_editor):
    message = make_message("tonglu")
    client.force_login(tonglu_editor)
    response = client.post(edit_url(message), _editor_form(message, reply="下周三晚上播放。"))
    assert response.status_code == 302, response.content.decode()[:3000]
    message.refresh_from_db()
    assert message.reply == "下周三晚上播放。"
    assert message.status == StationMessage.Status.ANSWERED
    assert message.replied_by == tonglu_editor and message.replied_at is not None
    assert message.phone == "13800000000"  # read-only fields are kept as they were


@pytest.mark.parametrize(
    "consent, reply, error",
    [
        (False, "已安排。", "留言人没有同意公开"),
        (True, "", "请先填写答复"),
    ],
)
def test_publishing_needs_consent_and_a_reply(client, tonglu_editor, consent, reply, error):
    message = make_message("tonglu", consent_to_publish=consent)
    client.force_login(tonglu_editor)
    response = client.post(edit_url(message), _editor_form(message, reply=reply, published="on"))
    assert response.status_code == 200
    assert error in response.content.decode()
    message.refresh_from_db()
    assert not message.published


def test_a_published_reply_shows_on_the_public_list_without_the_phone(client, tonglu_editor):
    client.post(
        NEW, form_data(text="茶园小绿叶蝉怎么防？我家电话13912345678", consent_to_publish="on")
    )
    message = StationMessage.objects.get()
    client.force_login(tonglu_editor)
    response = client.post(
        edit_url(message),
        _editor_form(
            message,
            reply="可在若虫高峰期用联系农技站推荐的药剂，并及时修剪。",
            public_question="茶园小绿叶蝉怎么防？",
            published="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    message.refresh_from_db()
    assert message.published and message.published_at is not None
    client.logout()
    html = client.get("/zh-hans/messages/").content.decode()
    assert "茶园小绿叶蝉怎么防？" in html and "若虫高峰期" in html
    assert "13912345678" not in html and "13800000000" not in html


def test_the_admin_is_in_chinese(client, tonglu_editor):
    message = make_message("tonglu")
    client.force_login(tonglu_editor)
    html = client.get(LISTING).content.decode()
    assert "站点留言" in html and "留言时间" in html and "新留言" in html
    html = client.get(edit_url(message)).content.decode()
    for label in ("留言内容", "联系电话", "同意公开", "答复", "公开的问题"):
        assert label in html, label


def test_region_of_a_message_must_be_a_city_or_county():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_message("zhejiang")
    assert region("tonglu").level == "county"
