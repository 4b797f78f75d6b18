"""The base layer's admin URLs: the pinyin slug the page editor asks for as a title is
typed. Imported by ``pioneer.wagtail_hooks`` after the importer's URLs, as before."""

from django.urls import path
from wagtail import hooks

from pioneer.core.slugs import pinyin_slug_view


@hooks.register("register_admin_urls")
def pinyin_slug_urls():
    return [path("pinyin-slug/", pinyin_slug_view, name="pinyin_slug")]
