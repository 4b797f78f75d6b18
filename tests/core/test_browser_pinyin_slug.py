"""In the editor, the slug fills itself with pinyin as a Chinese title is typed (Wagtail's
own script would leave it empty or Chinese), unique among the page's siblings, and stays
the editor's once they type one."""

import pytest
from playwright.sync_api import expect

from lessons.models import LessonPage
from tests.support.browser import login
from tests.support.editorial import make_user
from tests.support.factories import function_index

pytestmark = [pytest.mark.browser, pytest.mark.demo]


def test_slug_follows_the_title_in_pinyin_until_the_editor_types_one(
    live_server, demo_site, browser, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base = live_server.url
    make_user("tl-editor", "tonglu", "editor")
    parent = function_index("skills")
    page = browser.new_page()
    login(page, base, "tl-editor")
    page.goto(f"{base}/admin/pages/add/lessons/lessonpage/{parent.pk}/")
    slug = page.locator("#id_slug")
    title = page.locator("#id_title")
    # Chinese comes through an input method, which ends with a keyup; Playwright inserts
    # the text without one, so a key press stands for it.
    title.press_sequentially("水稻叠盘育秧", delay=30)
    title.press("End")
    # The demo's lesson 水稻叠盘育秧… under this index already has the address.
    assert LessonPage.objects.child_of(parent).filter(slug="shuidao-diepan-yuyang").exists()
    expect(slug).to_have_value("shuidao-diepan-yuyang-2", timeout=10_000)
    # Changing the title keeps the slug in step while the editor has not typed one.
    title.press_sequentially("技术", delay=30)
    title.press("End")
    expect(slug).to_have_value("shuidao-diepan-yuyang-jishu", timeout=10_000)
    # An editor's own slug is kept (Chinese typed there becomes pinyin).
    slug.evaluate("field => { field.value = '育秧'; field.dispatchEvent(new Event('blur')); }")
    expect(slug).to_have_value("yuyang", timeout=10_000)
    title.focus()
    title.press_sequentially("要点", delay=30)
    title.press("End")
    page.wait_for_timeout(1000)
    assert slug.input_value() == "yuyang"
