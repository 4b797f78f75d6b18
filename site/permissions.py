"""Page permissions by region for content that is filed by region, not by tree position.

Province groups hold ordinary Wagtail page permissions on the whole tree. City and
county groups hold "add" on the indexes they may create pages in (and full rights on
their own news section); on a lesson, policy or news page, what they may do comes from
the page's region: their own region and the regions below it, nothing elsewhere.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import PagePermissionTester

from pioneer import compat
from pioneer.roles import user_scope
from pioneer.slugs import PinyinSlugPageForm


class RegionalPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            return
        scope = user_scope(user)
        if scope.unrestricted and "change" in self.permissions:
            return  # province staff: the tree permissions apply as they are
        region = page.region
        if scope.covers(region):
            # Their own region: tree rights (e.g. publish in a city's news section)
            # plus what their roles grant on the region.
            self.permissions = set(self.permissions) | scope.permissions_on(region)
        else:
            # Another region's page: "add" on the index must not let an editor edit
            # or delete it, even one they once created and had moved away from them.
            self.permissions = set()


class RegionOwnedPage:
    """Mixin for page models with a ``region`` field that decides who may edit them."""

    def permissions_for_user(self, user):
        return RegionalPagePermissionTester(user, self)


class RegionOwnedPageForm(PinyinSlugPageForm):
    """City and county editors file pages under their own regions only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        field = self.fields.get("region")
        if user is None or field is None:
            return
        scope = user_scope(user)
        if scope.unrestricted:
            return
        locale = self.instance.locale if self.instance.locale_id else None
        if locale is None and self.parent_page is not None:
            locale = self.parent_page.locale
        field.queryset = scope.regions(locale).order_by("sort_order")
        field.required = True
        field.empty_label = None
        field.widget = forms.Select()
        field.widget.choices = field.choices
        field.help_text = _("只能选择本单位负责的地区")


def refuse_denied_changes_with_403():
    """Make a refused change in the admin answer 403 Forbidden.

    Wagtail answers every refused admin request with a redirect to the dashboard and a
    message, which suits a link followed by mistake; but a POST that tries to change a
    page the user may not change (a forged form, a script) must be refused plainly, so
    nothing can read the redirect as success. Wagtail's own answer is replaced for all its
    admin views (``compat.replace_admin_permission_denied``); reading requests keep
    Wagtail's friendly redirect.
    """
    from django.http import HttpResponseForbidden
    from django.utils.translation import gettext

    def refusing_changes(friendly):
        def permission_denied(request):
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return friendly(request)
            return HttpResponseForbidden(
                gettext("没有权限：您不能修改这个页面。"), content_type="text/plain; charset=utf-8"
            )

        return permission_denied

    compat.replace_admin_permission_denied(refusing_changes)
