"""What the news app declares in the content-type registry (``pioneer.core.content_types``)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pioneer.core.content_types import ContentKind, register

NEWS = ContentKind(
    "news",
    _("新闻"),
    "news.NewsPage",
    index_models=("news.NewsIndexPage",),
    feed="news",
    in_region_feeds=True,
    feed_title=_("工作动态"),
    author_field="source",
    importer="news.records.NEWS_RECORDS",
    top_index=Q(region=None),  # all news; each office's section has its region
    office_index="news.models.regional_news_index",
)
POLICY = ContentKind(
    "policy",
    _("政策文件"),
    "news.PolicyPage",
    index_models=("news.PolicyIndexPage",),
    date_field="issue_date",
    number_field="doc_number",
    feed="policies",
    feed_title=_("政策文件"),
    author_field="issuer",
    category_field="doc_type",
    importer="news.records.POLICY_RECORDS",
    office_sections=Q(),  # the policy library
)


def register_kinds():
    register(NEWS, POLICY)
