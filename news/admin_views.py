"""An admin download of the policy library as CSV, for stakeholders' spreadsheets."""

import csv

from django.http import HttpResponse
from django.utils import timezone, translation
from wagtail.models import Locale

from news.models import PolicyPage
from pioneer.core.spreadsheets import spreadsheet_safe

COLUMNS = ["标题", "文号", "类型", "发文机关", "成文日期", "施行日期", "效力状态", "网址"]


def policy_library_csv(request):
    locale = Locale.objects.get(language_code="zh-hans")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="policy-library-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the UTF-8 as UTF-8
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    documents = PolicyPage.objects.filter(locale=locale).order_by("-issue_date", "-pk")
    with translation.override("zh-hans"):
        for doc in documents:
            # Titles and numbers come from editors and imports: none may run as a formula.
            writer.writerow(
                spreadsheet_safe(cell)
                for cell in [
                    doc.title,
                    doc.doc_number,
                    doc.get_doc_type_display(),
                    doc.issuer,
                    doc.issue_date.isoformat(),
                    doc.effective_date.isoformat() if doc.effective_date else "",
                    doc.get_status_display() if doc.live else "未发布",
                    doc.get_full_url(request) if doc.live else "",
                ]
            )
    return response
