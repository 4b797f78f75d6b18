"""The issue's proof for messages, on the production shape (``deploy/local/web``; with
``FULL_STACK=1`` the whole stack): a message sent through nginx from the public form
reaches only that county's editors; their reply, published, is on the public list."""

import http.cookiejar
import json
import time
import urllib.parse
import urllib.request

import pytest

from tests.support.live_site import AdminSession, live_site, shell

pytestmark = [pytest.mark.browser, pytest.mark.fullstack]

PASSWORD = "Message-test-pass-1"
LISTING = "/admin/snippets/station_messages/stationmessage/"

SEED = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from pioneer.demo.loader import build_site
from pioneer.editorial.role_setup import group_name, setup_roles
from tests.support.factories import region
tree = build_site()
setup_roles(tree["locale"])
for slug in ("tonglu", "anji"):
    user = get_user_model().objects.create_user(
        f"{slug}-bianji-%(run)s", "e@example.org", "%(password)s"
    )
    user.groups.add(Group.objects.get(name=group_name(region(slug), "editor")))
print(json.dumps({"tonglu": region("tonglu").pk}))
"""

FIND = """
from station_messages.models import StationMessage
print(StationMessage.objects.get(text__contains=%r).pk)
"""


@pytest.fixture(scope="module")
def stack():
    import secrets

    run = secrets.token_hex(4)
    with live_site() as site:
        info = json.loads(shell(site, SEED % {"run": run, "password": PASSWORD}))
        yield {**site, **info, "run": run}


def _send(base, fields):
    """A learner's browser: the form (its CSRF cookie), then the message posted."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = base + "/zh-hans/messages/new/"
    opener.open(form, timeout=30).read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    body = urllib.parse.urlencode(dict(fields, csrfmiddlewaretoken=token)).encode()
    request = urllib.request.Request(form, data=body, headers={"Referer": form, "Origin": base})
    with opener.open(request, timeout=30) as response:
        return response.geturl(), response.read().decode()


def test_a_message_reaches_only_its_countys_editors_and_its_answer_is_published(stack):
    base, run = stack["base"], stack["run"]
    text = f"村里想点播茶叶修剪的课程，请问什么时候播出？（{run}）"
    landed, page = _send(
        base,
        {
            "region": stack["tonglu"],
            "topic": "course",
            "text": text,
            "phone": "138 0000 0000",
            "consent_to_publish": "on",
            "website": "",
        },
    )
    assert landed.endswith("/zh-hans/messages/sent/"), page[:500]

    tonglu = AdminSession(base, f"tonglu-bianji-{run}", PASSWORD)
    listing = tonglu.opener.open(base + LISTING, timeout=30).read().decode()
    assert "桐庐县" in listing
    pk = int(shell(stack, FIND % run))
    edit = f"{LISTING}edit/{pk}/"
    assert text in tonglu.opener.open(base + edit, timeout=30).read().decode()
    anji = AdminSession(base, f"anji-bianji-{run}", PASSWORD)
    assert f"edit/{pk}/" not in anji.opener.open(base + LISTING, timeout=30).read().decode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        anji.opener.open(base + edit, timeout=30)
    assert refused.value.code == 404

    answers = base + "/zh-hans/messages/"
    urllib.request.urlopen(answers, timeout=30).read()  # nginx keeps a copy
    reply = "本周四晚七点半在远教频道播出，届时请组织收看。"
    tonglu.post(
        edit,
        {
            "status": "answered",
            "reply": reply,
            "public_question": "村里想点播茶叶修剪的课程，请问什么时候播出？",
            "published": "on",
        },
    )
    deadline = time.monotonic() + 30
    while True:
        shown = urllib.request.urlopen(answers, timeout=30).read().decode()
        if reply in shown or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert reply in shown
    assert "13800000000" not in shown and "138 0000 0000" not in shown
