from django import template

from pioneer.core.media import media_type as _media_type

register = template.Library()


@register.filter
def media_type(document):
    """``{{ value.file|media_type }}``: the MIME type a ``<source>`` announces, so that a
    phone picks the file it can play without fetching the others."""
    return _media_type(document)
