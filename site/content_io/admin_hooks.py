"""The importer's admin pages: their URLs and the "批量导入" menu item. The shell's
``pioneer.wagtail_hooks`` imports this module where these hooks were registered before."""

from wagtail import hooks


@hooks.register("register_admin_urls")
def import_urls():
    from django.urls import path

    from pioneer.content_io import admin_views

    return [
        path("import/", admin_views.start, name="import_start"),
        path("import/sample/", admin_views.sample, name="import_sample"),
        path("import/<int:pk>/", admin_views.job_view, name="import_job"),
        path("import/<int:pk>/confirm/", admin_views.confirm, name="import_confirm"),
    ]


@hooks.register("register_admin_menu_item")
def import_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("pioneer.add_importjob")

    return ImportMenuItem(_("批量导入"), reverse("import_start"), icon_name="upload", order=850)
