"""The message form and the published answers pass axe-core with zero violations in
Debian's Chromium, in the normal and the elder-friendly mode (axe's AAA contrast rule on
there too), as tests/site/test_accessibility.py checks the other page types; the form's
errors too."""

import pytest
from wagtail.models import Locale

from station_messages.demo import load_demo_messages
from tests.site.test_accessibility import AXE_RUN, _report
from tests.support.accessibility import axe_source

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_message_pages_pass_axe(live_server, site_structure, browser, language):
    load_demo_messages(Locale.get_default())
    source = axe_source()
    found = {}
    for elder in (False, True):
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN" if language != "en" else "en"
        )
        if elder:
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([{"name": "mode", "value": "elder", "domain": host, "path": "/"}])
        page = context.new_page()
        mode = "elder" if elder else "normal"
        for name, path in (
            ("form", f"/{language}/messages/new/"),
            ("answers", f"/{language}/messages/"),
        ):
            response = page.goto(live_server.url + path)
            assert response.status == 200, (path, response.status)
            if elder:
                assert page.locator("html").get_attribute("class") == "elder"
            page.evaluate(source)
            violations = page.evaluate(AXE_RUN, elder)
            if violations:
                found[(f"{name} [{mode}]", path)] = violations
        # The form sent empty (no JavaScript checks it first): its errors, as shown.
        page.goto(live_server.url + f"/{language}/messages/new/")
        page.click(".sm-form button[type=submit]")
        assert page.locator("[aria-invalid=true]").count() >= 2
        page.evaluate(source)
        violations = page.evaluate(AXE_RUN, elder)
        if violations:
            found[(f"form with errors [{mode}]", "POST")] = violations
        context.close()
    assert not found, "axe-core violations:\n" + _report(found)
