from django.http import Http404
from pioneer.public import is_expired
from wagtail import hooks


@hooks.register("before_serve_page")
def refuse_expired_pages(page, request, serve_args, serve_kwargs):
    """An expired page is gone for the public even before ``publish_scheduled`` runs."""
    if is_expired(page):
        raise Http404
