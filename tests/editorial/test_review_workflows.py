"""The review workflows: county → city → province for lessons and policy documents, the
city for news; each stage acted on only by the page's own office, through the admin."""

import datetime
import time

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from lessons.models import LessonPage
from news.models import NewsPage
from pioneer.editorial.review import RegionalApprovalTask
from tests.support.editorial import lesson_form, make_user, news_form, region
from tests.support.factories import function_index, make_lesson
from tests.support.review import act, current_stage, login, submit_new_lesson

# Every test but the deploy files' one reaches the database through ``offices`` or ``db``.


def test_county_lesson_goes_through_its_own_county_city_and_province(client, offices):
    mail.outbox.clear()
    page = submit_new_lesson(client, offices["author"], "tonglu")
    assert not page.live
    assert current_stage(page).task.name == "县级审核"
    # Only Tonglu's reviewers are told, not every county's.
    told = {address for message in mail.outbox for address in message.to}
    assert "tonglu-reviewer@example.org" in told
    assert "anji-reviewer@example.org" not in told
    subjects = [m.subject for m in mail.outbox if "tonglu-reviewer@example.org" in m.to]
    assert any("已提交“县级审核”，请审核" in subject for subject in subjects), subjects

    # Another county's reviewer can neither approve nor open the task.
    response = act(client, offices["anji"], page, "approve")
    assert response.status_code == 403
    assert current_stage(page).task.name == "县级审核"

    act(client, offices["tonglu"], page, "approve")
    assert current_stage(page).task.name == "市级审核"
    # Huzhou's city reviewers are not Tonglu's city.
    assert act(client, offices["huzhou"], page, "approve").status_code == 403

    act(client, offices["hangzhou"], page, "approve")
    assert current_stage(page).task.name == "省级审批"
    page.refresh_from_db()
    assert not page.live

    act(client, offices["province"], page, "approve")
    page.refresh_from_db()
    assert page.live and not page.workflow_in_progress
    approved = [m for m in mail.outbox if "tonglu-editor@example.org" in m.to]
    assert approved and "审核" in approved[-1].subject + approved[-1].body


def test_a_city_lesson_skips_the_county_stage(client, offices):
    hangzhou_editor = make_user("hangzhou-editor", "hangzhou", "editor")
    page = submit_new_lesson(client, hangzhou_editor, "hangzhou", slug="shi-ji-ke")
    stage = current_stage(page)
    assert stage.task.name == "市级审核"
    skipped = stage.workflow_state.task_states.get(task__name="县级审核")
    assert skipped.status == "skipped"


def test_rejection_returns_the_lesson_to_its_author_with_the_comment(client, offices):
    page = submit_new_lesson(client, offices["author"], "tonglu")
    act(client, offices["tonglu"], page, "approve")
    mail.outbox.clear()
    act(client, offices["hangzhou"], page, "reject", comment="请补充施肥用量和时间")
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.filter(object_id=str(page.pk)).latest("created_at")
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The author is told by mail, in Chinese, with the reviewer's words.
    to_author = [m for m in mail.outbox if "tonglu-editor@example.org" in m.to]
    assert to_author
    assert "请补充施肥用量和时间" in to_author[0].body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in to_author[0].subject)

    # ... and sees it on the dashboard.
    login(client, offices["author"])
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "茶园春季管理要点" in dashboard
    assert "请补充施肥用量和时间" in dashboard

    # Resubmitted, it goes back to the stage that asked for changes (Wagtail's rule),
    # and the province approves in the end.
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        lesson_form(
            page, action="action-submit", text="<p>每亩施复合肥 30 公斤，3 月上旬施下。</p>"
        ),
    )
    assert current_stage(page).task.name == "市级审核"
    act(client, offices["hangzhou"], page, "approve")
    act(client, offices["province"], page, "approve")
    page.refresh_from_db()
    assert page.live and "30 公斤" in str(page.body)


def test_reviewers_see_history_and_compare_revisions(client, offices):
    page = make_lesson("修订比较测试", region=region("tonglu"))
    first = page.latest_revision
    login(client, offices["author"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), lesson_form(page, title="修订后的标题")
    )
    page.refresh_from_db()
    login(client, offices["tonglu"])
    history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert history.status_code == 200
    compare = client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=(page.pk, first.pk, page.latest_revision.pk),
        )
    )
    assert compare.status_code == 200
    assert "修订后的标题" in compare.content.decode()
    # Another county's reviewer sees neither.
    login(client, offices["anji"])
    refused = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_a_locked_page_cannot_be_overwritten_and_no_save_is_lost(client, offices):
    page = make_lesson("锁定测试", region=region("tonglu"))
    second_editor = make_user("tonglu-editor-2", "tonglu", "editor")

    # Two editors save one after the other: both versions stay in the history.
    login(client, offices["author"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        lesson_form(page, title="第一位编辑的修改"),
    )
    login(client, second_editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        lesson_form(page, title="第二位编辑的修改"),
    )
    titles = [revision.content["title"] for revision in page.revisions.order_by("created_at")]
    assert titles[-2:] == ["第一位编辑的修改", "第二位编辑的修改"]

    # A reviewer locks the page: editors cannot save over it until it is unlocked.
    login(client, offices["tonglu"])
    client.post(reverse("wagtailadmin_pages:lock", args=(page.pk,)))
    page.refresh_from_db()
    assert page.locked and page.locked_by == offices["tonglu"]
    login(client, offices["author"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)), lesson_form(page, title="锁定时的修改")
    )
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "第二位编辑的修改"
    # ... and cannot unlock another's lock.
    client.post(reverse("wagtailadmin_pages:unlock", args=(page.pk,)))
    page.refresh_from_db()
    assert page.locked


def test_a_forged_publish_of_another_regions_page_is_refused(client, offices):
    page = make_lesson("宁波的课程", region=region("ningbo"))
    login(client, offices["author"])
    for url in (
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        reverse("wagtailadmin_pages:unpublish", args=(page.pk,)),
        reverse("wagtailadmin_pages:delete", args=(page.pk,)),
    ):
        response = client.post(url, lesson_form(page, action="action-publish", title="被篡改"))
        assert response.status_code == 403, url
    page.refresh_from_db()
    assert page.live and page.title == "宁波的课程"
    assert page.latest_revision.content["title"] == "宁波的课程"


def test_editors_cannot_file_a_lesson_under_another_region(client, offices):
    login(client, offices["author"])
    template = LessonPage(title="冒名课程", slug="maoming", summary="摘要", function="skills")
    template.region = region("ningbo")
    template.date = datetime.date(2026, 3, 1)
    response = client.post(
        reverse(
            "wagtailadmin_pages:add", args=("lessons", "lessonpage", function_index("skills").pk)
        ),
        lesson_form(template),
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Page.objects.filter(slug="maoming").exists()
    form = client.get(
        reverse(
            "wagtailadmin_pages:add", args=("lessons", "lessonpage", function_index("skills").pk)
        )
    ).content.decode()
    assert "桐庐县" in form and "宁波市" not in form


def test_news_is_reviewed_by_its_city(client, offices):
    author = offices["author"]
    login(client, author)
    section = Page.objects.get(slug="tonglu", depth__gt=3, locale__language_code="zh-hans")
    template = NewsPage(title="桐庐站点培训", slug="tonglu-peixun", summary="培训站点管理员。")
    template.region = region("tonglu")
    template.date = datetime.date(2026, 3, 2)
    template.source = "桐庐县委组织部"
    client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newspage", section.pk)),
        news_form(template, action="action-submit"),
    )
    page = NewsPage.objects.get(slug="tonglu-peixun", locale__language_code="zh-hans")
    assert current_stage(page).task.name == "新闻市级审核"
    assert act(client, offices["tonglu"], page, "approve").status_code == 403
    act(client, offices["hangzhou"], page, "approve")
    page.refresh_from_db()
    assert page.live


def test_province_news_is_reviewed_by_the_province(client, offices):
    province_editor = make_user("province-editor", "zhejiang", "editor")
    login(client, province_editor)
    root = Page.objects.get(slug="news", locale__language_code="zh-hans")
    template = NewsPage(title="全省工作通报", slug="quansheng-tongbao", summary="通报。")
    template.region = region("zhejiang")
    template.date = datetime.date(2026, 3, 2)
    template.source = "省远教办"
    client.post(
        reverse("wagtailadmin_pages:add", args=("news", "newspage", root.pk)),
        news_form(template, action="action-submit"),
    )
    page = NewsPage.objects.get(slug="quansheng-tongbao", locale__language_code="zh-hans")
    assert not page.live
    assert act(client, offices["hangzhou"], page, "approve").status_code == 403
    act(client, offices["province"], page, "approve")
    page.refresh_from_db()
    assert page.live


def test_setup_roles_is_idempotent_and_covers_a_new_county(db):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission, Workflow

    from pioneer.models import Region

    counts = (Group.objects.count(), GroupPagePermission.objects.count(), Workflow.objects.count())
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        Workflow.objects.count(),
    )
    hangzhou = region("hangzhou")  # 新安县 is made up: every real county exists already
    Region.objects.create(
        slug="xinan", name="新安县", level="county", parent=hangzhou, locale=hangzhou.locale
    )
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    assert Group.objects.filter(name__in=["新安县编辑", "新安县审核"]).count() == 2
    county_stage = RegionalApprovalTask.objects.get(name="县级审核")
    assert county_stage.groups.filter(name="新安县审核").exists()
    section = Page.objects.get(slug="xinan", locale__language_code="zh-hans")
    assert section.get_parent().slug == "hangzhou"


def test_scheduled_pages_go_live_and_expired_pages_go_down(db):
    soon = timezone.now() + datetime.timedelta(seconds=2)
    future = make_lesson("定时发布的课程", publish=False, region=region("tonglu"))
    future.go_live_at = soon
    future.save_revision().publish()  # with go_live_at ahead this only schedules it
    future.refresh_from_db()
    assert not future.live

    expiring = make_lesson("到期下线的课程", region=region("tonglu"))
    expiring.expire_at = soon
    expiring.save_revision().publish()
    expiring.refresh_from_db()
    assert expiring.live

    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    future.refresh_from_db()
    expiring.refresh_from_db()
    assert future.live
    assert not expiring.live and expiring.expired


def test_deploy_runs_publish_scheduled_every_minute():
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[2] / "deploy"
    service = (deploy / "systemd/pioneer-publish-scheduled.service").read_text()
    timer = (deploy / "systemd/pioneer-publish-scheduled.timer").read_text()
    cron = (deploy / "cron/pioneer").read_text()
    assert "manage.py publish_scheduled" in service
    assert "OnCalendar=*-*-* *:*:00" in timer and "Unit=pioneer-publish-scheduled.service" in timer
    entries = [line for line in cron.splitlines() if line and not line.startswith(("#", "SHELL"))]
    assert entries and entries[0].startswith("* * * * * ") and "publish_scheduled" in entries[0]
