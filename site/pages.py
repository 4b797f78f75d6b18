"""Fetching a page with what every view of it reads, in as few queries as possible."""


def specific_with_relations(page):
    """The specific page, with its locale, region and cover image (where it has them) in
    the same query: a page view and the API's detail both read all three."""
    model = page.specific_class
    if model is None:
        return page.specific
    names = {field.name for field in model._meta.concrete_fields if field.is_relation}
    related = [name for name in ("locale", "region", "cover") if name in names]
    return model.objects.select_related(*related).get(pk=page.pk)
