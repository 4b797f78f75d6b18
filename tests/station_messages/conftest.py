"""Messages to the offices of Tonglu county (Hangzhou) and Anji county (Huzhou), and the
offices' users who answer them."""

import pytest

from station_messages.models import StationMessage
from tests.support.editorial import make_user
from tests.support.factories import region

NEW = "/zh-hans/messages/new/"
SENT = "/zh-hans/messages/sent/"
ANSWERS = "/zh-hans/messages/"
LISTING = "/admin/snippets/station_messages/stationmessage/"


def edit_url(message):
    return f"{LISTING}edit/{message.pk}/"


def form_data(region_slug="tonglu", **changes):
    data = {
        "region": str(region(region_slug).pk),
        "topic": "question",
        "text": "我们村的茶园出现了小绿叶蝉，请问什么时候打药合适？",
        "phone": "138 0000 0000",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def make_message(region_slug="tonglu", **fields):
    values = {
        "region": region(region_slug),
        "topic": StationMessage.Topic.QUESTION,
        "text": "村里的远教站点什么时候播放医保政策解读？",
        "phone": "13800000000",
    }
    values.update(fields)
    message = StationMessage(**values)
    message.full_clean()
    message.save()
    return message


@pytest.fixture
def tonglu_editor(db):
    return make_user("tonglu-editor", "tonglu", "editor")


@pytest.fixture
def anji_editor(db):
    return make_user("anji-editor", "anji", "editor")
