"""Fetching a page with what every view of it reads, in as few queries as possible."""


def specific_with_relations(model, pk):
    """The page ``pk`` of the page type ``model``, with its locale, region and cover image
    (where it has them) in the same query: a page view and the API's detail read all three."""
    names = {field.name for field in model._meta.concrete_fields if field.is_relation}
    related = [name for name in ("locale", "region", "cover") if name in names]
    return model.objects.select_related(*related).get(pk=pk)
