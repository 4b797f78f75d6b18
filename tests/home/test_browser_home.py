"""A real browser (Debian's Chromium through Playwright) reads the site without JavaScript."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.demo]


def test_home_page_reads_and_navigates_without_javascript(live_server, demo_site, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.url == live_server.url + "/zh-hans/"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").first.inner_text() == "时代先锋网"
    body = page.locator("body").inner_text()
    for name in ["实用技术培训", "信息沟通与应急响应", "最新课程", "工作动态", "政策文件"]:
        assert name in body

    # Navigation is plain links: follow one to a function index.
    page.get_by_role("link", name="实用技术培训").first.click()
    assert "/zh-hans/lessons/shiyong-jishu/" in page.url
    assert page.locator("h1").inner_text() == "实用技术培训"

    # The elder-friendly mode is a plain link too, and it sticks across pages.
    page.get_by_role("link", name="大字模式").click()
    assert page.locator("html").get_attribute("class") == "elder"
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(font_size.removesuffix("px")) >= 20
    page.goto(live_server.url + "/zh-hans/news/")
    assert page.locator("html").get_attribute("class") == "elder"

    # Search works through the GET form.
    page.fill("#site-q", "课程")
    page.press("#site-q", "Enter")
    assert "/zh-hans/search/" in page.url
    context.close()
