"""Fetching a page with what every view of it reads, in as few queries as possible; the
``type_label`` and ``ld_json`` filters of a page's template (registered in ``pioneer_tags``)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe


def specific_with_relations(model, pk):
    """The page ``pk`` of the page type ``model``, with its locale, region and cover image
    (where it has them) in the same query: a page view and the API's detail read all three."""
    names = {field.name for field in model._meta.concrete_fields if field.is_relation}
    related = [name for name in ("locale", "region", "cover") if name in names]
    return model.objects.select_related(*related).get(pk=pk)


def type_label(page):
    """The human name of a page's type (课程, 新闻, 政策文件…)."""
    model = page.specific_class or type(page)
    return model._meta.verbose_name


_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data):
    """Structured data as a JSON-LD block, escaped so no text can close the element."""
    payload = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder).translate(_LD_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
