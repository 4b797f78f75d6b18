"""The notices in Wagtail: what other parts ask of them through hooks (the widget, the
review set-up), the "end now" action, and the audit log's words for both fast paths."""

from django.urls import re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from notices import admin_views, current
from notices.models import URGENT_LEVELS, NoticeIndexPage, NoticePage

END_EARLY = "notices.end_early"
PUBLISHED_AT_ONCE = "notices.publish_at_once"


@hooks.register("pioneer_notices_in_force")
def notices_in_force(locale, region):
    """For the partners' widget (which knows no content app): the notices in force for a
    region (None: the whole province's)."""
    return current.in_force(locale, region)


@hooks.register("pioneer_own_office_review")
def notice_sections(locale):
    """Where offices issue notices, reviewed in one stage by their own office's reviewer
    (``pioneer.editorial.role_setup``)."""
    return list(NoticeIndexPage.objects.filter(locale=locale))


@hooks.register("register_log_actions")
def notice_log_actions(actions):
    actions.register_action(END_EARLY, _("提前结束预警"), _("提前结束了预警"))
    actions.register_action(
        PUBLISHED_AT_ONCE, _("预警直接发布"), _("以审核员身份直接发布了红色或橙色预警")
    )


@hooks.register("after_publish_page")
def note_urgent_publish(request, page):
    """A red or orange notice published by a reviewer without its workflow: said in the
    audit log in words of its own, beside Wagtail's "published" entry."""
    specific = page.specific
    if not isinstance(specific, NoticePage) or specific.level not in URGENT_LEVELS:
        return
    from wagtail.log_actions import log

    log(instance=specific, action=PUBLISHED_AT_ONCE, user=request.user)


@hooks.register("before_create_page")
def refuse_publishing_a_routine_notice_at_once(request, parent_page, page_class):
    """The add form offers 发布 to reviewers (they publish what they approve), but a blue
    or yellow notice goes through its review: refused plainly before anything is saved."""
    if (
        page_class is NoticePage
        and request.method == "POST"
        and "action-publish" in request.POST
        and not request.user.is_superuser
        and request.POST.get("level") not in URGENT_LEVELS
    ):
        from django.http import HttpResponseForbidden

        return HttpResponseForbidden(
            _("蓝色和黄色预警须经本单位审核员审核后发布：请返回，点击“提交审核”。"),
            content_type="text/plain; charset=utf-8",
        )
    return None


@hooks.register("register_admin_urls")
def notice_admin_urls():
    # Up to 18 digits: past 64 bits the database cannot compare an id (an OverflowError).
    return [
        re_path(
            r"^notices/(?P<page_id>[0-9]{1,18})/end/$", admin_views.end_now, name="notice_end_now"
        )
    ]


def _end_now(page, user, priority):
    specific = page.specific_deferred
    if isinstance(specific, NoticePage) and admin_views.may_end(user, specific):
        yield Button(
            _("立即结束预警"),
            reverse("notice_end_now", args=[page.pk]),
            icon_name="warning",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def end_now_button(page, user, view_name, next_url=None):
    yield from _end_now(page, user, priority=55)


@hooks.register("register_page_listing_more_buttons")
def end_now_listing_button(page, user, next_url=None):
    yield from _end_now(page, user, priority=45)
