from wagtail import hooks

# The base layer's hooks first, as they were registered before (before_serve_page order:
# an expired page is a 404 before an alias is sent to its original).
import pioneer.core.hooks  # noqa: F401
from pioneer import compat


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


@hooks.register("register_admin_urls")
def pinyin_slug_urls():
    from django.urls import path

    from pioneer.core.slugs import pinyin_slug_view

    return [path("pinyin-slug/", pinyin_slug_view, name="pinyin_slug")]


@hooks.register("register_admin_menu_item")
def import_menu_item():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _
    from wagtail.admin.menu import MenuItem

    class ImportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm("pioneer.add_importjob")

    return ImportMenuItem(_("批量导入"), reverse("import_start"), icon_name="upload", order=850)


# Editorial's dashboard panel, registered where it was.
from pioneer.editorial import admin_hooks as _editorial_hooks  # noqa: E402, F401

# Operations' task report, registered where it was.
from pioneer.ops import admin_hooks as _ops_hooks  # noqa: E402, F401


def _label_site_columns():
    """Wagtail's sites listing labels three columns from their attribute names ("Port",
    "Site name", "Root page"), untranslatable; the model's field names are translated."""
    from django.utils.text import capfirst
    from wagtail.models import Site

    compat.relabel_site_columns(
        {
            name: capfirst(Site._meta.get_field(name).verbose_name)
            for name in ("port", "site_name", "root_page")
        }
    )


_label_site_columns()


def _label_page_choosers():
    """The workflow form's and the group editor's page choosers are labelled from their
    field name ("Page", read by screen readers), untranslatable; the model's translated
    name is used instead (capfirst keeps it lazy)."""
    from django.utils.text import capfirst
    from wagtail.models import Page

    compat.relabel_page_choosers(capfirst(Page._meta.verbose_name))


_label_page_choosers()
