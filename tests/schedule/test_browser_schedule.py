"""The printed week in Chromium: one A4 sheet per week per channel, large type, nothing of
the site's header or footer; the demo's week, and a crowded week."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.demo]


def _pages(pdf):
    """The number of pages in a PDF (its page objects; not the /Pages tree node)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _printed(browser, url):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    header_shown = page.locator(".site-header").is_visible()
    sizes = page.evaluate(
        "[...document.querySelectorAll('.week-day li')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    context.close()
    return pdf, header_shown, sizes


def test_the_demo_week_prints_on_one_a4_sheet(live_server, demo_site, browser):
    for language in ("zh-hans", "en"):
        pdf, header_shown, sizes = _printed(
            browser, f"{live_server.url}/{language}/schedule/zjyj/print/"
        )
        assert _pages(pdf) == 1, language
        assert not header_shown
        assert sizes and min(sizes) >= 16  # 13 pt: large type for a notice board


def test_a_crowded_week_still_prints_on_one_sheet(live_server, demo_site, browser):
    import datetime

    from schedule import listing
    from schedule.models import Channel
    from tests.schedule.conftest import make_slot

    channel = Channel.objects.get(slug="zjyj", locale__language_code="zh-hans")
    monday = listing.week_start(listing.local_today())
    start = datetime.datetime.combine(monday, datetime.time(5), tzinfo=listing.TZ)
    for day in range(7):
        for hour in range(9):  # mornings: the demo's own slots are at noon and evening
            make_slot(
                channel,
                start + datetime.timedelta(days=day, hours=hour // 2, minutes=30 * (hour % 2)),
                minutes=25,
                title=f"晨间节目：农业技术讲座第{hour + 1}讲",
            )
    pdf, _header, _sizes = _printed(browser, f"{live_server.url}/zh-hans/schedule/zjyj/print/")
    assert _pages(pdf) == 1
