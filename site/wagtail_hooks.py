"""The shell's hooks module (Wagtail discovers this one only): it imports each part's
hooks in the order they were registered before; only the importer's admin pages are still
here (they move with ``pioneer.content_io``'s split)."""

from wagtail import hooks

# The base layer's hooks first (before_serve_page order: an expired page is a 404 before
# an alias is sent to its original).
import pioneer.core.hooks  # noqa: F401


@hooks.register("register_admin_urls")
def import_urls():
    from django.urls import path

    from pioneer import import_views

    return [
        path("import/", import_views.start, name="import_start"),
        path("import/sample/", import_views.sample, name="import_sample"),
        path("import/<int:pk>/", import_views.job_view, name="import_job"),
        path("import/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
    ]


# The page editor's pinyin slugs, registered after the importer's URLs as before.
import pioneer.core.admin_hooks  # noqa: E402, F401


@hooks.register("register_admin_menu_item")
def import_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("pioneer.add_importjob")

    return ImportMenuItem(_("批量导入"), reverse("import_start"), icon_name="upload", order=850)


# Editorial's dashboard panel and page-chooser labels, then operations' task report and
# sites-listing labels, registered where they were.
from pioneer.editorial import admin_hooks as _editorial_hooks  # noqa: E402, F401
from pioneer.ops import admin_hooks as _ops_hooks  # noqa: E402, F401
