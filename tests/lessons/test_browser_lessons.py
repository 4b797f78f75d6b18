"""A learner opens a lesson in Debian's Chromium: media player, downloads, series navigation."""

import pytest

from lessons.models import LessonSeriesPage

pytestmark = [pytest.mark.browser, pytest.mark.demo]


def test_lesson_page_in_a_real_browser(live_server, demo_site, browser):
    series = LessonSeriesPage.objects.live().filter(locale__language_code="zh-hans").first()
    members = [member.lesson for member in series.members.all()]
    lesson = next(
        m for m in members[1:-1] if any(b.block_type in ("video", "audio") for b in m.body)
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + lesson.url)
    assert page.locator("h1").inner_text() == lesson.title

    media = page.locator("video, audio").first
    assert media.get_attribute("preload") == "none"
    assert media.evaluate("el => el.paused")  # nothing plays by itself
    assert media.evaluate("el => el.networkState !== HTMLMediaElement.NETWORK_LOADING")
    source = media.evaluate("el => el.currentSrc || el.querySelector('source').src")
    assert page.request.head(source).ok

    downloads = page.locator("section.downloads li")
    assert downloads.count() >= 2
    for text in downloads.all_inner_texts():
        assert any(unit in text for unit in ("KB", "MB", "字节")), text
    pack = page.get_by_role("link", name="下载离线课件包")
    assert pack.count() == 1

    nav = page.get_by_role("navigation", name="专题导航")
    assert series.title in nav.inner_text()
    position = members.index(lesson)
    nav.get_by_role("link", name=f"下一课：{members[position + 1].title}").click()
    assert page.locator("h1").inner_text() == members[position + 1].title
    page.get_by_role("link", name=f"上一课：{lesson.title}").click()
    assert page.locator("h1").inner_text() == lesson.title
    context.close()
