"""The demo's messages: answered ones, at least two published, created once."""

import pytest
from wagtail.models import Locale

from station_messages.demo import load_demo_messages
from station_messages.models import StationMessage

pytestmark = pytest.mark.django_db


def test_the_demo_messages_load_once():
    locale = Locale.get_default()
    created = load_demo_messages(locale)
    assert created >= 3
    assert load_demo_messages(locale) == 0
    messages = StationMessage.objects.all()
    assert messages.count() == created
    assert all(message.reply and message.status != "new" for message in messages)
    published = messages.filter(published=True)
    assert published.count() >= 2
    assert all(message.consent_to_publish for message in published)


def test_the_demo_answers_show_on_the_public_list(client):
    load_demo_messages(Locale.get_default())
    html = client.get("/zh-hans/messages/").content.decode()
    assert "小绿叶蝉" in html and "异地就医备案" in html
    assert "0571" not in html
    assert client.get("/en/messages/").status_code == 200
