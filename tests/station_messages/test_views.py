"""The public form and the published questions and answers: without JavaScript, in
Chinese, never a 500 for what a phone or a bot may send."""

import re

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from station_messages.models import StationMessage
from tests.station_messages.conftest import ANSWERS, NEW, SENT, form_data, make_message
from tests.support.factories import region

pytestmark = pytest.mark.django_db


def test_the_form_lists_counties_grouped_by_city_with_a_privacy_notice(client, settings):
    settings.STATION_MESSAGE_PHONE_DAYS = 90
    response = client.get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="杭州市">' in html
    assert f'<option value="{region("tonglu").pk}">桐庐县</option>' in html
    assert "只有您所选地区远教办的编辑能看到" in html and "90 天后电话号码自动删除" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html
    assert "no-store" in response["Cache-Control"] and response["X-Accel-Expires"] == "0"


def test_the_english_form_names_the_regions_in_english(client):
    html = client.get("/en/messages/new/").content.decode()
    assert "Tonglu" in html and "Hangzhou" in html


def test_a_message_sent_from_the_form_is_stored_for_its_county(client):
    response = client.post(NEW, form_data(consent_to_publish="on"))
    assert response.status_code == 302 and response["Location"] == SENT
    message = StationMessage.objects.get()
    assert message.region == region("tonglu")
    assert message.phone == "13800000000"  # as typed, without the spaces
    assert message.consent_to_publish and message.status == "new" and not message.published
    assert message.language == "zh-hans"
    assert client.get(SENT).status_code == 200


def test_a_message_from_the_english_form_is_filed_under_the_chinese_region(client):
    english = region("tonglu").get_translation(Locale.objects.get(language_code="en"))
    response = client.post("/en/messages/new/", form_data(region=str(english.pk), phone=""))
    assert response.status_code == 302
    message = StationMessage.objects.get()
    assert message.region == region("tonglu") and message.language == "en"


def test_a_filled_honeypot_looks_sent_and_stores_nothing(client):
    response = client.post(NEW, form_data(website="http://spam.example/"))
    assert response.status_code == 302 and response["Location"] == SENT
    assert not StationMessage.objects.exists()


def test_over_the_rate_limit_the_form_answers_429_in_chinese_and_keeps_the_text(client, settings):
    settings.RATE_LIMIT_MESSAGES = "2/h"
    for _ in range(2):
        assert client.post(NEW, form_data()).status_code == 302
    response = client.post(NEW, form_data(text="第三条留言"))
    html = response.content.decode()
    assert response.status_code == 429
    assert "留言太频繁了" in html and "第三条留言" in html
    assert int(response["Retry-After"]) > 0
    assert StationMessage.objects.count() == 2


def test_the_form_works_when_the_cache_is_away(client, settings, monkeypatch):
    """Redis away, as ResilientRedisCache answers then (no add, no count): the message is
    stored, whatever RATELIMIT_FAIL_OPEN says; and a cache that raises does not fail it."""
    from station_messages import views

    settings.RATELIMIT_FAIL_OPEN = False
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: None)
    for _ in range(3):
        assert client.post(NEW, form_data()).status_code == 302
    monkeypatch.undo()

    def broken(*args, **kwargs):
        raise ConnectionError("cache away")

    monkeypatch.setattr(views, "get_usage", broken)
    assert client.post(NEW, form_data()).status_code == 302
    assert StationMessage.objects.count() == 4


def test_oversized_text_is_refused_with_a_chinese_error(client):
    response = client.post(NEW, form_data(text="茶" * 1001))
    html = response.content.decode()
    assert response.status_code == 200
    assert "留言最多 1000 字，现在是 1001 字" in html
    assert 'aria-invalid="true"' in html
    assert not StationMessage.objects.exists()


def test_line_breaks_count_as_one_character(client):
    text = ("茶" * 99 + "\r\n") * 10  # 1,000 characters as a browser counts them
    assert client.post(NEW, form_data(text=text.strip())).status_code == 302


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"region": ""}, "请选择您所在的县（市、区）"),
        ({"region": "999999"}, "请从列表中选择"),
        ({"region": "abc"}, "请从列表中选择"),
        ({"region": str(0)}, "请从列表中选择"),
        ({"topic": "spam"}, "请选择留言类别"),
        ({"text": "   "}, "请填写留言内容"),
        ({"text": "茶园\x00虫害"}, "无法识别的字符"),
        ({"phone": "12345"}, "请填写手机号"),
        ({"phone": "1" * 500}, "电话号码太长了"),
    ],
)
def test_bad_input_answers_the_form_again_with_a_chinese_error(client, changes, error):
    response = client.post(NEW, form_data(**changes))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert "留言还没有发出" in response.content.decode()
    assert not StationMessage.objects.exists()


def test_the_province_cannot_be_chosen(client):
    response = client.post(NEW, form_data(region=str(region("zhejiang").pk)))
    assert response.status_code == 200 and not StationMessage.objects.exists()


def test_a_landline_with_area_code_is_taken(client):
    assert client.post(NEW, form_data(phone="0571-6461 2345")).status_code == 302
    assert StationMessage.objects.get().phone == "057164612345"


def test_wrong_methods_and_missing_tokens_are_refused_not_500(client):
    from django.test import Client

    assert client.put(NEW).status_code == 405
    assert client.delete(NEW).status_code == 405
    assert client.post(SENT).status_code == 405
    assert client.post(ANSWERS).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(NEW, form_data()).status_code == 403
    assert not StationMessage.objects.exists()


def _published(**fields):
    values = {
        "consent_to_publish": True,
        "status": StationMessage.Status.ANSWERED,
        "reply": "已安排农技员下周到村里讲解。",
        "published": True,
    }
    values.update(fields)
    return make_message(**values)


def test_a_published_answer_shows_on_the_public_list_without_the_phone(client):
    _published(text="茶园病虫害怎么防治？电话13912345678", public_question="茶园病虫害怎么防治？")
    make_message("anji", text="没有公开的留言")
    html = client.get(ANSWERS).content.decode()
    assert "茶园病虫害怎么防治？" in html and "已安排农技员下周到村里讲解。" in html
    assert "13912345678" not in html and "13800000000" not in html
    assert "没有公开的留言" not in html


def test_links_in_a_question_or_reply_are_never_links(client):
    _published(
        public_question="看这个 http://evil.example/a 和 www.evil.example",
        reply='请看 https://evil.example/b <a href="https://evil.example/c">点这里</a>',
    )
    html = client.get(ANSWERS).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "http://evil.example/a" in main and "https://evil.example/b" in main
    links = re.findall(r"<a\s[^>]*>", main)
    assert links and not [link for link in links if "evil" in link]
    assert "&lt;a href=" in main


def test_the_public_list_keeps_line_breaks(client):
    _published(reply="第一行\n第二行")
    html = client.get(ANSWERS).content.decode()
    assert "第一行<br>第二行" in html


def test_the_public_list_filters_by_region_and_pages(client, settings):
    _published(public_question="桐庐的问题")
    _published(region=region("anji"), public_question="安吉的问题")
    html = client.get(ANSWERS + "?region=hangzhou").content.decode()
    assert "桐庐的问题" in html and "安吉的问题" not in html
    html = client.get(ANSWERS + "?region=anji").content.decode()
    assert "安吉的问题" in html and "桐庐的问题" not in html
    html = client.get(ANSWERS + "?region=nowhere%00").content.decode()
    assert "安吉的问题" in html and "桐庐的问题" in html
    assert client.get(ANSWERS + "?page=99").status_code == 404
    assert client.get(ANSWERS + "?page=abc").status_code == 200
