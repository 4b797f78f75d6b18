"""Who may download a document or an image: the one rule, for every way to reach one
(the views that apply it are in ``pioneer.http.media``).

A document or an image is public while a public page (live, not restricted, not
expired, not an alias: ``pioneer.core.public.public_pages``) uses it in its live content, and
private until one does. "Uses" is Wagtail's reference index of the page's own row, which
for a live page holds what is published (a newer draft lives in its revisions, which the
index does not read): a file attached only in a draft, in a private page, or uploaded and
used nowhere, is not public. A private file opens for editors (anyone who may use the
admin), and for someone who may view a restricted live page that uses it (its login,
groups or password), so a station manager's notice keeps its attachment and pictures.

The rule applies to documents (``/documents/<id>/<name>``, Wagtail's
``before_serve_document`` hook plus this module's view), to original images and to
renditions (``/media/original_images/…``, ``/media/images/…``: this module's views
without nginx; behind nginx, its ``auth_request`` asks :func:`media_check` and then
sends the file itself; on S3, where renditions are private objects, the view redirects
to a signed URL), and to the API's list of images and documents.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField
from django.db.models.functions import Cast
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from pioneer.core.public import public_pages


def _page_type():
    return ContentType.objects.get_for_model(Page)


def _references_to(model):
    return ReferenceIndex.objects.filter(
        base_content_type=_page_type(), to_content_type=ContentType.objects.get_for_model(model)
    )


def public_ids(model):
    """Ids (as text) of the images or documents that some public page uses."""
    return (
        _references_to(model)
        .filter(
            # ReferenceIndex keeps object ids as text: compare in the database, not in Python.
            object_id__in=public_pages(Page, locale=False)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text"),
        )
        .values_list("to_object_id", flat=True)
    )


def is_public(obj):
    """Whether a public page uses ``obj`` (a document or an image)."""
    return public_ids(type(obj)).filter(to_object_id=str(obj.pk)).exists()


def _restricted_users(obj):
    """Live pages with a view restriction that use ``obj``, each with its restrictions."""
    references = _references_to(type(obj)).filter(to_object_id=str(obj.pk))
    page_ids = [int(pk) for pk in references.values_list("object_id", flat=True)]
    pages = (
        Page.objects.live()
        .filter(alias_of=None, pk__in=page_ids)
        .exclude(expire_at__lte=timezone.now())
    )
    found = [(page, page.get_view_restrictions()) for page in pages]
    return [(page, restrictions) for page, restrictions in found if restrictions]


def refusal(obj, request):
    """``None`` when ``request`` may have ``obj``, else the response refusing it: the
    login for an anonymous visitor, a restricted page's password form, or 403."""
    if is_public(obj):
        return None
    user = request.user
    if user.is_authenticated and user.has_perm("wagtailadmin.access_admin"):
        return None
    restricted = _restricted_users(obj)
    for _page, restrictions in restricted:
        if all(r.accept_request(request) for r in restrictions):
            return None
    for page, restrictions in restricted:
        if any(r.restriction_type == PageViewRestriction.PASSWORD for r in restrictions):
            # The page asks for its password; once given, its files follow.
            return redirect(page.url)
    if not user.is_authenticated:
        login_url = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_URL", reverse("wagtailcore_login"))
        return redirect_to_login(request.get_full_path(), login_url)
    raise PermissionDenied


def check_document_privacy(document, request):
    """``before_serve_document`` hook: ``None`` to serve, else the response refusing it."""
    return refusal(document, request)
