"""The base layer's Wagtail hooks: what the public is refused before a page or document is
served, and the snippets of regions, topics and site texts. Imported first by
``pioneer.wagtail_hooks`` (Wagtail discovers that module only), in this order."""

from django.http import Http404
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from pioneer.core.media_privacy import check_document_privacy
from pioneer.core.models import Region, SiteText, Topic
from pioneer.core.public import is_expired


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


hooks.register("before_serve_document", check_document_privacy)
