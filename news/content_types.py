"""What the news app declares in the content-type registry (``pioneer.core.content_types``)."""

from django.utils.translation import gettext_lazy as _

from pioneer.core.content_types import ContentKind, register

NEWS = ContentKind(
    "news",
    _("新闻"),
    "news.NewsPage",
    index_models=("news.NewsIndexPage",),
    feed="news",
    in_region_feeds=True,
)
POLICY = ContentKind(
    "policy",
    _("政策文件"),
    "news.PolicyPage",
    index_models=("news.PolicyIndexPage",),
    date_field="issue_date",
    number_field="doc_number",
    feed="policies",
)


def register_kinds():
    register(NEWS, POLICY)
