"""What is on now, through nginx's cache on the production shape (``deploy/local/web``; with
``FULL_STACK=1`` the whole stack): a channel's page kept by nginx says the right programme
just before a slot boundary and, within a minute, the next one just after it, with nothing
published in between."""

import json
import re
import time
import urllib.request

import pytest

from tests.support.live_site import live_site, settled_shell

pytestmark = [pytest.mark.browser, pytest.mark.fullstack]

SEED = """
import datetime, json
from django.utils import timezone
from wagtail.models import Locale
from pioneer.demo.loader import build_site
from schedule.models import Channel, Slot
from tests.support.factories import region
build_site()
channel = Channel.objects.create(
    name="边界测试频道", slug="bianjie-%(run)s", region=region("zhejiang"),
    locale=Locale.objects.get(language_code="zh-hans"),
)
boundary = timezone.now().replace(microsecond=0) + datetime.timedelta(seconds=75)
for title, start, end in (
    ("边界之前的节目", boundary - datetime.timedelta(minutes=30), boundary),
    ("边界之后的节目", boundary, boundary + datetime.timedelta(minutes=30)),
):
    slot = Slot(channel=channel, starts_at=start, ends_at=end, title=title)
    slot.full_clean()
    slot.save()
print(json.dumps({"slug": channel.slug, "boundary": boundary.timestamp()}))
"""


@pytest.fixture(scope="module")
def stack():
    import secrets

    run = secrets.token_hex(4)
    with live_site() as site:
        info = json.loads(settled_shell(site, SEED % {"run": run}))
        yield {**site, **info}


def _now_on(url):
    """(nginx's cache status, the programme the page says is on now)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        status, html = response.headers.get("X-Cache-Status"), response.read().decode()
    part = html[html.index('class="now-next"') : html.index("</dl>")]
    on_now = re.search(r"<dt>正在播出</dt><dd>(.*?)</dd>", part, re.S).group(1)
    return status, on_now


def test_now_is_right_before_and_after_a_slot_boundary_through_the_cache(stack):
    url = f"{stack['base']}/zh-hans/schedule/{stack['slug']}/"
    _now_on(url)
    status, on_now = _now_on(url)
    assert status == "HIT" and "边界之前的节目" in on_now  # served by nginx's copy
    # Just before the boundary: still the first programme, whatever copy is served.
    time.sleep(max(0.0, stack["boundary"] - time.time() - 5))
    assert "边界之前的节目" in _now_on(url)[1]
    # After it: the next programme within a minute (nginx keeps the page 30 s).
    time.sleep(max(0.0, stack["boundary"] - time.time()) + 1)
    deadline = stack["boundary"] + 60
    while True:
        status, on_now = _now_on(url)
        if "边界之后的节目" in on_now or time.time() > deadline:
            break
        time.sleep(2)
    assert "边界之后的节目" in on_now, on_now
    assert time.time() <= deadline
    _now_on(url)
    assert _now_on(url)[0] == "HIT"  # and it is cached again
