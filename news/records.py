"""What the bulk importer and exporter (``pioneer.content_io``) need of news and policy
documents: the kinds' ``RecordType``s, named by the registry (news/content_types.py)."""

import datetime

from django.utils import translation

from pioneer.core.content_types import RecordType
from pioneer.core.text import docnumbers

from .models import NewsIndexPage, PolicyIndexPage, PolicyPage, PolicyRelation, regional_news_index


def _clean_relations(value, own_id, errors):
    """A policy record's ``relations``: [[kind, id of an earlier policy record], …]."""
    if not isinstance(value, list):
        errors.append("relations 应为列表")
        return []
    kinds, relations = set(PolicyRelation.Kind.values), []
    for number, pair in enumerate(value, start=1):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        ):
            errors.append(f"relations 第 {number} 项应为 [关系, 文件 id]")
        elif pair[0] not in kinds:
            errors.append(f"relations 第 {number} 项的关系“{pair[0][:20]}”应为 amends 或 repeals")
        elif pair[1].strip() == own_id:
            errors.append(f"relations 第 {number} 项指向文件自己")
        else:
            relations.append((pair[0], pair[1].strip()))
    return relations


class NewsRecords(RecordType):
    key = "news"
    model = "news.NewsPage"

    def clean(self, data, clean, errors):
        clean["source"] = str(data.get("source", "") or data.get("issuer", "") or "")[:100]

    def parent_key(self, clean):
        return ("news", clean["region"].pk if clean["region"] else None)

    def find_parent(self, importer, clean):
        region = clean["region"]
        news = NewsIndexPage.objects.get(locale=importer.locale, slug="news")
        if region is None:
            return news
        existing = NewsIndexPage.objects.filter(locale=importer.locale, region=region).first()
        if existing is not None:
            return existing
        # A new section (and its city's, for a county): made the usual way, then given
        # English aliases as the import's own pages are.
        importer.flush_tree()  # add_child below counts on numchild
        before = set(NewsIndexPage.objects.values_list("pk", flat=True))
        section = regional_news_index(region, news)
        for created in NewsIndexPage.objects.exclude(pk__in=before).order_by("path"):
            importer.create_aliases(created)
        return section

    def fields(self, importer, clean, image):
        return {"date": clean["date"], "region": clean["region"], "source": clean["source"]}

    def export(self, page, row):
        row["date"] = page.date.isoformat()
        row["issuer"] = page.source


class PolicyRecords(RecordType):
    key = "policy"
    model = "news.PolicyPage"
    update_note = "资源库批量导入更新"

    def clean(self, data, clean, errors):
        number = str(data.get("doc_number", "") or "").strip()
        clean["doc_number"] = ""
        if number:
            clean["doc_number"] = docnumbers.normalise(number) or ""
            if not clean["doc_number"]:
                errors.append(f"文号“{number}”格式不正确")
        clean["issuer"] = str(data.get("issuer", "") or "").strip()[:200]
        if not clean["issuer"]:
            errors.append("政策文件缺少发文机关（issuer）")
        doc_type = str(data.get("doc_type", "") or "notice").strip()
        types = {v: v for v in PolicyPage.DocType.values}
        with translation.override("zh-hans"):
            types.update({str(label): value for value, label in PolicyPage.DocType.choices})
        if doc_type not in types:
            errors.append(f"未知的文件类型“{doc_type}”")
        clean["doc_type"] = types.get(doc_type, "notice")
        # Optional (README): given, they are the page's; absent, left as they are.
        clean["policy_extra"] = {}
        raw_effective = data.get("effective_date")
        if raw_effective is not None:
            try:
                effective = str(raw_effective).strip()
                clean["policy_extra"]["effective_date"] = (
                    datetime.date.fromisoformat(effective[:10]) if effective else None
                )
            except ValueError:
                errors.append(f"施行日期“{raw_effective}”格式不正确（应为 2026-03-01）")
        raw_status = data.get("status")
        if raw_status is not None:
            statuses = {v: v for v in PolicyPage.Status.values}
            with translation.override("zh-hans"):
                statuses.update({str(label): value for value, label in PolicyPage.Status.choices})
            if str(raw_status).strip() not in statuses:
                errors.append(f"未知的文件状态“{raw_status}”")
            else:
                clean["policy_extra"]["status"] = statuses[str(raw_status).strip()]
        clean["relations"] = None
        if data.get("relations") is not None:
            clean["relations"] = _clean_relations(data["relations"], clean["id"], errors)
        if data.get("change_note") is not None:
            note = str(data.get("change_note") or "").strip()
            limit = PolicyPage._meta.get_field("change_note").max_length
            if len(note) > limit:
                errors.append(f"修订说明超过 {limit} 个字符")
            clean["policy_extra"]["change_note"] = note[:limit]

    def check(self, importer, record, seen_ids, seen):
        clean, errors = record.clean, record.errors
        for target in clean.get("relations") or []:
            known = ("policy", target[1]) in seen_ids
            if (
                not known
                and not PolicyPage.objects.filter(
                    locale=importer.locale, source_id=target[1]
                ).exists()
            ):
                errors.append(f"关联文件 id“{target[1]}”不在本文件前面，也不在网站上")
        number = clean.get("doc_number")
        if number:
            if number in seen:
                errors.append(f"文号 {number} 与第 {seen[number]} 行重复")
            seen[number] = record.line
            clash = (
                PolicyPage.objects.filter(locale=importer.locale, doc_number=number)
                .exclude(source_id=clean["id"])
                .first()
            )
            if clash:
                errors.append(f"文号 {number} 已被《{clash.title}》使用")

    def find_parent(self, importer, clean):
        return PolicyIndexPage.objects.get(locale=importer.locale, slug="policies")

    def fields(self, importer, clean, image):
        values = {
            "issue_date": clean["date"],
            "doc_number": clean["doc_number"],
            "issuer": clean["issuer"],
            "doc_type": clean["doc_type"],
            "region": clean["region"],
            **clean.get("policy_extra", {}),
        }
        if clean.get("relations") is not None:
            targets = {
                page.source_id: page
                for page in PolicyPage.objects.filter(
                    locale=importer.locale, source_id__in=[t for _k, t in clean["relations"]]
                )
            }
            values["relations"] = [
                PolicyRelation(kind=kind, target=targets[target], sort_order=order)
                for order, (kind, target) in enumerate(clean["relations"])
                if target in targets  # a preview: not imported yet
            ]
        return values

    def export(self, page, row):
        row.update(
            date=page.issue_date.isoformat(),
            doc_number=page.doc_number,
            doc_type=page.doc_type,
            issuer=page.issuer,
        )


NEWS_RECORDS = NewsRecords()
POLICY_RECORDS = PolicyRecords()
