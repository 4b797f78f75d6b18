"""Demo news and policy documents, built from ``news/demo_data.py`` through the page APIs."""

import datetime

from django.db import transaction
from wagtail.rich_text import RichText

from news.demo_data import NEWS, POLICIES
from news.models import NewsPage, PolicyPage, PolicyRelation, regional_news_index
from pioneer.demo import make_handout, paragraphs_html


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def load_news(tree):
    regions, news_index = tree["regions"], tree["news"]
    created = 0
    for spec in NEWS:
        region = regions.get(spec["region"])
        if region is None:
            continue
        if NewsPage.objects.filter(slug=spec["slug"], locale=tree["locale"]).exists():
            continue
        parent = regional_news_index(region, news_index)
        with transaction.atomic():
            page = NewsPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                date=_date(spec["date"]),
                region=region,
                source=spec.get("source", ""),
                body=[("paragraph", RichText(paragraphs_html(spec["paragraphs"])))],
            )
            page.tags.add(*spec.get("tags", []))
            parent.add_child(instance=page)
            page.save_revision().publish()
        created += 1
    return created, NewsPage.objects.filter(locale=tree["locale"]).count()


def issuing_region(issuer, regions):
    """The region whose full name the issuing office's name contains, lowest level first."""
    depth = {"county": 0, "city": 1, "province": 2}
    for region in sorted(regions.values(), key=lambda r: depth[r.level]):
        if region.name in issuer:
            return region
    return regions.get("zhejiang")


def load_policies(tree):
    library = tree["policies"]
    created = 0
    pages = {}
    for spec in sorted(POLICIES, key=lambda s: s["issue_date"]):
        existing = PolicyPage.objects.filter(slug=spec["slug"], locale=tree["locale"]).first()
        if existing is not None:
            pages[spec["slug"]] = existing
            continue
        with transaction.atomic():
            page = PolicyPage(
                title=spec["title"],
                slug=spec["slug"],
                doc_type=spec["doc_type"],
                issuer=spec["issuer"],
                region=issuing_region(spec["issuer"], tree["regions"]),
                doc_number=spec.get("doc_number", ""),
                issue_date=_date(spec["issue_date"]),
                effective_date=_date(spec.get("effective_date")),
                status=spec.get("status", PolicyPage.Status.IN_FORCE),
                summary=spec.get("summary", ""),
                body=[
                    ("paragraph", RichText(paragraphs_html(spec["paragraphs"]))),
                    (
                        "attachment",
                        {
                            "document": make_handout(
                                f"{spec['title']}（原文）", "news", spec["slug"]
                            ),
                            "title": "文件原文（PDF）",
                        },
                    ),
                ],
                change_note=spec.get("change_note", ""),
            )
            page.tags.add(*spec.get("tags", []))
            page.relations = [
                PolicyRelation(kind=kind, target=pages[target], sort_order=order)
                for order, (kind, target) in enumerate(spec.get("relations", []))
                if target in pages
            ]
            library.add_child(instance=page)
            page.save_revision().publish()
        pages[spec["slug"]] = page
        created += 1
    return created, PolicyPage.objects.filter(locale=tree["locale"]).count()
