"""The admin's import page: upload, preview what will happen, confirm, watch progress."""

import posixpath

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pioneer.content_io.exporter import EXPORT_FIELDS
from pioneer.content_io.jobs import clean_import_uploads, run_import_job, validate_job
from pioneer.content_io.sample import sample_file
from pioneer.models import ImportJob

MAX_UPLOAD = 50 * 1024 * 1024


class ImportForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["file", "draft", "skip_invalid"]
        help_texts = {
            "file": _("JSON Lines（.jsonl）或 CSV（.csv），UTF-8 或 GB18030 编码"),
            "draft": _("导入为草稿，进入审核流程，不直接发布"),
            "skip_invalid": _("只导入没有错误的行"),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".jsonl", ".json", ".csv")):
            raise forms.ValidationError(_("请上传 .jsonl 或 .csv 文件"))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不能超过 50 MB"))
        return upload


def _check(request):
    if not (request.user.is_superuser or request.user.has_perm("pioneer.add_importjob")):
        raise PermissionDenied


def start(request):
    _check(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = form.save(commit=False)
        job.created_by = request.user
        job.save()
        validate_job(job)
        clean_import_uploads()  # earlier previews nobody confirmed, past their retention
        return redirect("import_job", job.pk)
    jobs = [(job, posixpath.basename(job.file.name)) for job in ImportJob.objects.all()[:10]]
    return TemplateResponse(
        request,
        "pioneer/import_start.html",
        {"form": form, "jobs": jobs, "fields": EXPORT_FIELDS},
    )


def sample(request):
    """A file to start from, in the format the importer reads."""
    _check(request)
    name, content_type, content = sample_file(request.GET.get("format", "jsonl"))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


ENCODINGS = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "gb18030": "GB18030"}


def job_view(request, pk):
    _check(request)
    job = get_object_or_404(ImportJob, pk=pk)
    return TemplateResponse(
        request,
        "pioneer/import_job.html",
        {
            "job": job,
            "errors": job.errors[:100],
            "refresh": job.status == job.Status.RUNNING,
            # The uploaded file's own name and its encoding, not the storage path.
            "file_name": posixpath.basename(job.file.name),
            "encoding": ENCODINGS.get(job.encoding, job.encoding.upper()),
        },
    )


@require_POST
def confirm(request, pk):
    _check(request)
    job = get_object_or_404(ImportJob, pk=pk)
    if job.can_run:
        run_import_job.enqueue(job.pk)
    return redirect("import_job", job.pk)
