from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from news.admin_views import policy_library_csv


@hooks.register("register_admin_urls")
def policy_export_urls():
    return [path("policies/export.csv", policy_library_csv, name="policy_library_csv")]


@hooks.register("register_reports_menu_item")
def policy_export_menu_item():
    return MenuItem(
        _("政策文件库（CSV）"), reverse("policy_library_csv"), icon_name="download", order=900
    )
