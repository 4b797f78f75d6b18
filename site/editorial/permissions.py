"""The admin's answer to a refused change (403, not a redirect). Who may change which page
is the base layer's rule, ``pioneer.core.ownership``."""

from pioneer import compat


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
