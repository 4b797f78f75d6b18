"""Documents used only by view-restricted pages are as private as those pages.

Wagtail guards a document by its collection's restrictions alone; an attachment of an
internal notice for station managers would otherwise download for anyone who has (or
guesses) its ``/documents/<id>/<name>`` link. Here a document that pages use, none of
them publicly visible, is served only to someone who may view one of those pages (or
who may use the admin). A document no page uses, or one a public page uses too, stays
public. Page use comes from Wagtail's reference index (StreamField choosers, rich-text
links and foreign keys alike).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.wagtail_hooks import require_wagtail_login

from pioneer.public import public_pages


def using_pages(document):
    """Pages that use ``document``, or ``None`` if something other than a page uses it."""
    page_type = ContentType.objects.get_for_model(Page)
    pages, other = set(), False
    for base_type, object_id in ReferenceIndex.get_references_to(document).values_list(
        "base_content_type", "object_id"
    ):
        if base_type == page_type.pk:
            pages.add(int(object_id))
        else:
            other = True
    return None if other else Page.objects.filter(pk__in=pages)


def is_private(document, pages=None):
    """Whether pages use ``document`` and none of them is publicly visible."""
    pages = using_pages(document) if pages is None else pages
    if pages is None or not pages.exists():
        return False
    return not public_pages(pages, locale=False).exists()


def check_document_privacy(document, request):
    """``before_serve_document`` hook: ``None`` to serve, else the response refusing it."""
    pages = using_pages(document)
    if pages is None or not is_private(document, pages):
        return None
    user = request.user
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return None
    # Only a restriction the request passes opens the document: a draft, an alias or an
    # expired page that uses it has none and opens nothing.
    restricted = [
        (page, page.get_view_restrictions()) for page in pages.live().filter(alias_of=None)
    ]
    restricted = [(page, rs) for page, rs in restricted if rs]
    for _page, restrictions in restricted:
        if all(r.accept_request(request) for r in restrictions):
            return None
    for page, restrictions in restricted:
        if any(r.restriction_type == PageViewRestriction.PASSWORD for r in restrictions):
            # The page asks for its password; once given, its documents follow.
            return redirect(page.url)
    if not user.is_authenticated:
        return require_wagtail_login(next=request.get_full_path())
    raise PermissionDenied


def serve_document(request, document_id, document_filename):
    """Wagtail's document view, marked private for every cache between here and the
    learner: a CDN or proxy in front must never hand one person's signed download link
    (valid for an hour) or a restricted file to the next."""
    from django.utils.cache import patch_cache_control
    from wagtail.documents.views.serve import serve

    response = serve(request, document_id, document_filename)
    if response.status_code in (301, 302, 303, 307, 308):
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True)
    return response
