"""The sample file offered on the admin's import page: one record of each type, written
by the same writers as ``export_content`` (so it is the format ``import_content`` reads),
with values the importer accepts. tests/content_io/test_import_page.py imports it."""

import io

from pioneer.content_io.exporter import EXPORT_FIELDS, write_csv, write_jsonl

SAMPLE_RECORDS = [
    {
        "id": "shili-kecheng-1",
        "type": "lesson",
        "title": "示例课程：茶园春季修剪要点",
        "summary": "一句话说明课程讲什么、适合谁看。",
        "body": "正文每行一段。\n第二段：修剪的时间和方法。",
        "date": "2026-03-01",
        "region": "hangzhou",
        "tags": ["茶叶", "春耕"],
        "category": "实用技术培训",
        "duration_minutes": 20,
        "producer": "杭州市远教办",
        "audience": "茶农",
    },
    {
        "id": "shili-xinwen-1",
        "type": "news",
        "title": "示例新闻：桐庐县举办远教站点管理员培训班",
        "summary": "新闻摘要，显示在列表里。",
        "body": "新闻正文，每行一段。",
        "date": "2026-03-02",
        "region": "tonglu",
        "tags": ["站点管理员"],
        "issuer": "桐庐县委组织部",
    },
    {
        "id": "shili-zhengce-1",
        "type": "policy",
        "title": "示例政策文件：关于做好2026年远教学用工作的通知",
        "summary": "文件要点。",
        "body": "文件正文，每行一段。",
        "date": "2026-03-03",
        "region": "zhejiang",
        "tags": ["学用结合"],
        "doc_number": "浙组示〔2026〕1号",
        "doc_type": "notice",
        "issuer": "中共浙江省委组织部",
    },
]


def sample_file(fmt="jsonl"):
    """(file name, content type, bytes) of the sample in ``fmt`` ("jsonl" or "csv")."""
    out = io.StringIO()
    if fmt == "csv":
        write_csv(SAMPLE_RECORDS, out, fields=EXPORT_FIELDS)
        # With a BOM, Excel (the usual editor of CSV files here) reads it as UTF-8.
        return "import-sample.csv", "text/csv; charset=utf-8", ("\ufeff" + out.getvalue()).encode()
    write_jsonl(SAMPLE_RECORDS, out)
    return "import-sample.jsonl", "application/jsonl; charset=utf-8", out.getvalue().encode()
