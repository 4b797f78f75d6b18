"""``{% notice_bar %}``: the urgent notices at the top of every page (base.html).

Behind nginx the page carries an include instead of the notices (an SSI directive nginx
fills from ``/_notices/<lang>/<region>/``, kept there for half a minute), so the page itself
stays one cached copy for every region and its notices are never older than that. Without
nginx (development, previews), the notices are rendered into the page.
"""

from django import template
from django.db import DatabaseError
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from notices.current import render_banner
from pioneer.caching.nginx import SSI_HEADER
from pioneer.core.my_region import chosen_slug
from pioneer.core.public import active_locale

register = template.Library()

# The include nginx fills; $pioneer_region is the cookie's region, checked by nginx's map.
# An include that fails (the site is down and no copy is kept) shows nothing.
SSI_INCLUDE = (
    '<!--# block name="pioneer_no_notices" --><!--# endblock -->'
    '<!--# include virtual="/_notices/{language}/$pioneer_region/" stub="pioneer_no_notices" -->'
)


def behind_ssi(request):
    return request is not None and request.META.get(SSI_HEADER) == "1"


@register.simple_tag(takes_context=True)
def notice_bar(context):
    request = context.get("request")
    if request is None:
        return ""
    language = get_language() or "zh-hans"
    if behind_ssi(request) and not getattr(request, "is_preview", False):
        return mark_safe(SSI_INCLUDE.format(language=language))
    try:
        locale = active_locale()
    except DatabaseError:  # the page is being shown without its database: no notices
        return ""
    return mark_safe(render_banner(locale, chosen_slug(request)))
