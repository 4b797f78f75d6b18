"""The whole editorial path in a real browser (Debian's Chromium, the admin with its
JavaScript): a county editor writes a lesson and submits it; the county, the city and
the province review it in turn, the city once sending it back; at the end the lesson is
live, on its index page and in search."""

import pytest

from lessons.models import LessonPage
from tests.support.browser import login
from tests.support.editorial import make_user
from tests.support.factories import function_index

pytestmark = [pytest.mark.browser, pytest.mark.demo]

TITLE = "高山茶园春季修剪与施肥"
FIX = "修剪、施肥（每亩复合肥三十公斤，三月上旬）和防冻的要点。"


def open_footer_menu(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def dashboard_action(page, base, label, comment=None):
    """Act on the lesson from the dashboard's "awaiting your review" panel."""
    page.goto(f"{base}/admin/")
    row = page.locator("[id^=awaiting-review] tr", has_text=TITLE)
    row.locator("[data-w-dropdown-target='toggle']").first.click()
    row.get_by_role("button", name=label, exact=True).click()
    if comment is not None:
        page.fill("textarea[name=comment]", comment)
        page.locator(".modal button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def current_task(lesson):
    lesson.refresh_from_db()
    return lesson.current_workflow_task.name if lesson.current_workflow_task else None


def test_county_lesson_reviewed_by_county_city_and_province(
    live_server, demo_site, browser, settings
):
    # Wagtail 8's autosave (every 0.5 s) races a robot's instant clicks on a busy machine;
    # off here, so that the review path is what this test exercises.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base = live_server.url
    make_user("tl-editor", "tonglu", "editor")
    make_user("tl-reviewer", "tonglu", "reviewer")
    make_user("hz-reviewer", "hangzhou", "reviewer")
    make_user("zj-reviewer", "zhejiang", "reviewer")
    parent = function_index("skills")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        # The county editor writes the lesson.
        login(page, base, "tl-editor")
        page.goto(f"{base}/admin/pages/add/lessons/lessonpage/{parent.pk}/")
        page.fill("#id_title", TITLE)
        page.fill("#id_summary", "春茶开采前，茶园要修剪、施肥、防冻。")
        page.locator(
            "[data-streamfield-stream-container] button[title], .c-sf-add-button"
        ).first.click()
        page.get_by_role("option", name="正文", exact=True).first.click()
        page.locator(".public-DraftEditor-content").first.click()
        page.keyboard.type("修剪要在春茶开采前二十天完成，剪去枯枝和细弱枝。")
        # The rich-text editor copies its text into the form a moment after the last key.
        page.wait_for_timeout(1000)
        page.get_by_role("tab", name="元数据").click()
        page.select_option("#id_region", label="桐庐县")
        assert page.input_value("#id_function") == "skills"  # from the index it is added to
        open_footer_menu(page)
        page.locator("button[name=action-submit]").click()
        page.wait_for_load_state("networkidle")
        lesson = LessonPage.objects.get(title=TITLE, locale__language_code="zh-hans")
        assert current_task(lesson) == "县级审核"

        # County, then city: the city sends it back with a comment.
        login(page, base, "tl-reviewer")
        dashboard_action(page, base, "通过")
        assert current_task(lesson) == "市级审核"
        login(page, base, "hz-reviewer")
        dashboard_action(page, base, "退回修改", comment="请写明施肥的用量和时间。")

        # The author sees the comment on the dashboard, fixes the lesson, resubmits.
        login(page, base, "tl-editor")
        assert "请写明施肥的用量和时间。" in page.content()
        page.goto(f"{base}/admin/pages/{lesson.pk}/edit/")
        page.fill("#id_summary", FIX)
        open_footer_menu(page)
        page.locator("button[name=action-submit]").click()
        page.wait_for_load_state("networkidle")
        assert current_task(lesson) == "市级审核"

        login(page, base, "hz-reviewer")
        dashboard_action(page, base, "通过")
        assert current_task(lesson) == "省级审批"
        login(page, base, "zj-reviewer")
        dashboard_action(page, base, "通过")
        lesson.refresh_from_db()
        assert lesson.live

        # A learner finds it on its index page and in search.
        page.context.clear_cookies()
        page.goto(f"{base}{parent.url}")
        assert TITLE in page.content()
        page.goto(f"{base}/zh-hans/search/?q=茶园修剪")
        assert TITLE in page.content()
        page.goto(f"{base}{lesson.url}")
        assert FIX in page.content()
    except Exception:
        page.screenshot(path="/tmp/review-failure.png", full_page=True)
        raise
    finally:
        context.close()
