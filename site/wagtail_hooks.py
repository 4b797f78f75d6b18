from django.http import Http404
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from pioneer.models import Region, SiteText, Topic
from pioneer.public import is_expired


@hooks.register("before_serve_page")
def refuse_expired_pages(page, request, serve_args, serve_kwargs):
    """An expired page is gone for the public even before ``publish_scheduled`` runs."""
    if is_expired(page):
        raise Http404


@hooks.register("before_serve_page")
def send_untranslated_pages_to_their_original(page, request, serve_args, serve_kwargs):
    """A synchronised-tree alias holds another language's text: show the original."""
    if page.alias_of_id:
        original = page.alias_of
        if original.locale_id != page.locale_id and original.live:
            return redirect(original.get_url(request))
    return None


register_snippet(Region)
register_snippet(Topic)
register_snippet(SiteText)
