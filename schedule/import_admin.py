"""The admin's upload of a schedule file (导入节目单): a broadcast platform's XMLTV or CSV
checked as a whole, then imported (or only checked), the outcome and every bad line shown.
For superusers and users who may add slots; a user imports into the channels they keep."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import AdminDateInput

from schedule.importing import COLUMN_LABELS, COLUMNS, MAX_BYTES, import_schedule

EXTENSIONS = (".xml", ".xmltv", ".csv", ".txt")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("节目单文件"),
        help_text=_("XMLTV（.xml）或 CSV（.csv），UTF-8 或 GB18030 编码，不超过 2 MB"),
    )
    format = forms.ChoiceField(
        label=_("格式"),
        required=False,
        choices=[("", _("自动识别")), ("xmltv", "XMLTV"), ("csv", "CSV")],
    )
    week = forms.DateField(
        label=_("节目单周"),
        required=False,
        widget=AdminDateInput,
        help_text=_("这一周中的任何一天；留空时取文件中最早的节目所在的一周"),
    )
    skip_errors = forms.BooleanField(
        label=_("跳过有错误的行"),
        required=False,
        help_text=_("只导入没有错误的行；不勾选时，文件有任何错误都不导入"),
    )
    dry_run = forms.BooleanField(
        label=_("只检查，不导入"), required=False, help_text=_("检查整个文件，不写入任何节目")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("请上传 .xml 或 .csv 文件"))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过 2 MB"))
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的"))
        return upload


def can_import(user):
    return user.is_active and (user.is_superuser or user.has_perm("schedule.add_slot"))


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    from schedule.admin import kept_channels

    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(MAX_BYTES + 1)  # read once; its size is checked above
            result = import_schedule(
                data,
                format=form.cleaned_data["format"] or None,
                week=form.cleaned_data["week"],
                skip_errors=form.cleaned_data["skip_errors"],
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
                channels=kept_channels(request.user),
            )
    else:
        form = ImportForm()
    columns = [(COLUMN_LABELS[key], names[0]) for key, names in COLUMNS.items()]
    return TemplateResponse(
        request,
        "schedule/admin/import.html",
        {"form": form, "result": result, "columns": columns},
    )


@hooks.register("register_admin_urls")
def import_urls():
    return [path("schedule/import/", import_view, name="schedule_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("导入节目单"), reverse("schedule_import"), icon_name="upload", order=241
    )
