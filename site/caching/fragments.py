"""The ``{% fragment %}`` tag's body (registered in ``pioneer_tags``): enclosed HTML kept
per content generation, release, language and the values given, in this worker and in the
shared cache."""

import hashlib

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from pioneer.caching import generation

_local_fragments = generation.LocalLRU(2000)  # about 10 MB at most a worker


class FragmentNode(template.Node):
    def __init__(self, name, vary, nodelist):
        self.name, self.vary, self.nodelist = name, vary, nodelist

    def render(self, context):
        from django.core.cache import cache

        request = context.get("request")
        if (
            request is None
            or getattr(request, "is_preview", False)  # a preview shows a draft
            or not isinstance(context.get("page"), Page)  # search, errors, other views
            or context.get("fragments_off")  # a page that changes with the clock
        ):
            return self.nodelist.render(context)
        current = generation.generation()
        if current is None:  # the shared cache is down: no generation to key fragments on
            return self.nodelist.render(context)
        parts = [current, generation.code_version(), self.name]
        parts = [str(part) for part in parts] + [get_language() or ""]
        parts += [str(value.resolve(context)) for value in self.vary]
        key = "pioneer:fragment:" + hashlib.sha1("|".join(parts).encode()).hexdigest()
        html = _local_fragments.get(key)  # this worker's newest fragments: no round trip
        if html is None:
            html = cache.get(key)
            if html is None:
                html = self.nodelist.render(context)
                cache.set(key, html, generation.FRAGMENT_SECONDS)
            _local_fragments.set(key, html)
        return mark_safe(html)


def fragment(parser, token):
    """``{% fragment "name" value… %}…{% endfragment %}``: on a Wagtail page's view, the
    enclosed HTML, rendered once per content generation, language and the values given
    (whatever else it depends on: the URL, the data saver), then taken from the shared
    cache. Previews, other views (search, error pages) and pages whose context sets
    ``fragments_off`` (what they show changes with the clock) always render."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fragment needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
