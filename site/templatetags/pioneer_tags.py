"""The template library ``pioneer_tags``: registration only. Each tag's body lives with its
concern: the menu in ``core.navigation``, languages in ``core.i18n``, query strings in
``core.pagination``, page filters in ``core.pages`` and ``core.models``, the data saver's
image links in ``core.media``, feed autodiscovery in ``partners.feeds``, the fragment cache
in ``caching.fragments``."""

from django import template

from pioneer.caching import fragments
from pioneer.core import i18n, navigation, pages, pagination
from pioneer.core.addresses import public_url
from pioneer.core.media import image_link, rendition_bytes  # noqa: F401 - the old names, kept
from pioneer.core.models import tag_names
from pioneer.core.navigation import site_root  # noqa: F401 - the old name, kept
from pioneer.partners.feeds import feed_links

register = template.Library()

register.inclusion_tag("includes/nav.html", takes_context=True, name="site_nav")(
    navigation.site_nav
)
register.simple_tag(navigation.home_url_tag, takes_context=True, name="home_url")
register.simple_tag(public_url, name="absolute_url")  # a local path on the public address
register.simple_tag(i18n.html_lang, name="html_lang")
register.simple_tag(pagination.query_with, takes_context=True, name="query_with")
register.filter("type_label", pages.type_label)
register.filter("ld_json", pages.ld_json)
register.inclusion_tag("includes/language_switch.html", takes_context=True)(i18n.language_switch)
register.inclusion_tag("includes/hreflang.html", takes_context=True)(i18n.hreflang_links)
register.filter("tag_names", tag_names)
register.inclusion_tag("includes/feed_links.html", takes_context=True)(feed_links)
register.simple_tag(image_link, name="image_link")
register.tag("fragment", fragments.fragment)
