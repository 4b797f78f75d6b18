"""Issuing a notice through the admin: an office files notices for its own regions only,
its own reviewer approves in one stage, a reviewer may publish a red or orange notice at
once (the audit log says who and when), and an editor may end a notice early."""

from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, streamfield

from notices.models import NoticePage
from tests.support.editorial import make_user
from tests.support.factories import make_notice, notice_index, region
from tests.support.review import act, current_stage, login


def notice_form(region_slug, action=None, level="red", areas=(), **changes):
    now = timezone.localtime()
    data = {
        "title": changes.pop("title", "台风红色预警"),
        "slug": changes.pop("slug", "taifeng-yujing"),
        "level": level,
        "summary": "今晚有十二级大风，请停止集中收看。",
        "region": region(region_slug).pk,
        "issuer": "",
        "areas": [region(slug).pk for slug in areas],
        "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (now + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "details": streamfield([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(changes)
    posted = nested_form_data({k: v for k, v in data.items() if k != "areas"})
    posted["areas"] = data["areas"]
    if action:
        posted[action] = "1"
    return posted


def _notice(slug):
    return NoticePage.objects.get(slug=slug, locale__language_code="zh-hans")


def add_url():
    return reverse("wagtailadmin_pages:add", args=("notices", "noticepage", notice_index().pk))


def test_a_county_notice_is_reviewed_by_that_county_alone(client, offices):
    login(client, offices["author"])
    response = client.post(add_url(), notice_form("tonglu", "action-submit", level="blue"))
    assert response.status_code == 302, response.content[:3000]
    page = _notice("taifeng-yujing")
    assert current_stage(page).task.name == "本单位审核"
    assert act(client, offices["anji"], page, "approve").status_code == 403
    act(client, offices["tonglu"], page, "approve")
    page.refresh_from_db()
    assert page.live and not page.workflow_in_progress


def test_a_city_notice_goes_to_the_city_reviewers(client, offices):
    make_user("hangzhou-editor", "hangzhou", "editor")
    login(client, offices["hangzhou"])
    response = client.post(add_url(), notice_form("hangzhou", "action-submit", level="yellow"))
    assert response.status_code == 302
    page = _notice("taifeng-yujing")
    assert current_stage(page).task.name == "本单位审核"
    act(client, offices["hangzhou"], page, "approve")
    page.refresh_from_db()
    assert page.live


def test_an_office_issues_notices_for_its_own_regions_only(client, offices):
    login(client, offices["author"])
    response = client.post(add_url(), notice_form("ningbo", "action-submit"))
    assert response.status_code == 200  # the form again
    response = client.post(add_url(), notice_form("tonglu", "action-submit", areas=["anji"]))
    assert response.status_code == 200
    assert not NoticePage.objects.filter(locale__language_code="zh-hans").exists()
    form = client.get(add_url()).content.decode()
    assert "桐庐县" in form and "宁波市" not in form


def test_a_reviewer_publishes_a_red_notice_at_once_and_the_log_says_who(client, offices):
    reviewer = offices["tonglu"]
    login(client, reviewer)
    response = client.post(add_url(), notice_form("tonglu", "action-publish", level="red"))
    assert response.status_code == 302, response.content[:3000]
    page = _notice("taifeng-yujing")
    assert page.live and not page.workflow_in_progress
    entries = PageLogEntry.objects.filter(page=page)
    published = entries.get(action="wagtail.publish")
    assert published.user == reviewer and published.timestamp
    assert entries.get(action="notices.publish_at_once").user == reviewer


def test_a_blue_notice_or_an_editor_cannot_skip_the_review(client, offices):
    login(client, offices["tonglu"])
    response = client.post(add_url(), notice_form("tonglu", "action-publish", level="blue"))
    assert response.status_code == 403
    assert "须经本单位审核员审核后发布" in response.content.decode()
    assert not NoticePage.objects.filter(slug="taifeng-yujing").exists()
    # Submitted, its review's approval publishes it.
    client.post(add_url(), notice_form("tonglu", "action-submit", level="blue"))
    page = _notice("taifeng-yujing")
    assert not page.live and not page.permissions_for_user(offices["tonglu"]).can_publish()
    act(client, offices["tonglu"], page, "approve")
    page.refresh_from_db()
    assert page.live
    login(client, offices["author"])
    client.post(add_url(), notice_form("tonglu", "action-publish", slug="hong-2"))
    assert not _notice("hong-2").live
    # Another county's reviewer has no fast path on Tonglu's red notice.
    red = make_notice("桐庐红色预警草稿", "tonglu", publish=False)
    assert not red.permissions_for_user(offices["anji"]).can_publish()
    assert red.permissions_for_user(offices["tonglu"]).can_publish()
    assert red.permissions_for_user(offices["hangzhou"]).can_publish()  # an office above


def test_an_editor_ends_a_notice_early_and_it_is_logged(client, offices):
    notice = make_notice("暴雨橙色预警", "tonglu", level="orange")
    login(client, offices["anji"])
    assert client.post(reverse("notice_end_now", args=[notice.pk])).status_code == 403
    login(client, offices["author"])
    confirm = client.get(reverse("notice_end_now", args=[notice.pk]))
    assert confirm.status_code == 200 and "确认立即结束" in confirm.content.decode()
    explorer = client.get(reverse("wagtailadmin_explore", args=[notice_index().pk]))
    assert "立即结束预警" in explorer.content.decode()
    response = client.post(reverse("notice_end_now", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.live and notice.has_ended()
    entry = PageLogEntry.objects.get(page=notice, action="notices.end_early")
    assert entry.user == offices["author"]
    # Ended, it is listed with the past notices, and cannot be ended again.
    assert client.post(reverse("notice_end_now", args=[notice.pk])).status_code == 403
    client.logout()
    html = client.get("/zh-hans/notices/").content.decode()
    past = html[html.index('id="past-h"') :]
    assert "暴雨橙色预警" in past
