"""Serving documents and images under the one rule of ``pioneer.core.media_privacy``:
Wagtail's document view with byte ranges, original images and renditions (without nginx,
or through nginx's ``auth_request`` to :func:`media_check`), signed links on S3."""

import mimetypes

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.images import get_image_model

from pioneer.core.media_privacy import is_public, refusal
from pioneer.http.files import serve_file

# Renditions and originals of public images: browsers and a CDN keep them a week.
PUBLIC_MEDIA_CACHE = "public, max-age=604800"


def _mark_private(response):
    if response.status_code in (301, 302, 303, 307, 308):
        # Never keep a redirect to a signed link or to the login for the next person.
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, private=True)
    return response


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (its hooks: collection privacy, then ours; its signal),
    sending the file with byte ranges or through nginx (:mod:`pioneer.http.files`)
    and marked private for every cache between here and the learner."""
    Document = get_document_model()
    document = get_object_or_404(Document, id=document_id)
    if document.filename != document_filename:
        raise Http404("This document does not match the given filename.")
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return _mark_private(result)
    document_served.send(sender=Document, instance=document, request=request)

    if getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None) in ("redirect", "direct"):
        # Object storage: a URL signed for a while; the store answers ranges itself.
        return _mark_private(redirect(document.file.url))
    response = serve_file(request, document.file, document.content_type, etag=document.file_hash)
    response["Content-Disposition"] = document.content_disposition
    if getattr(settings, "WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT", True):
        response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return _mark_private(response)


def image_for_file(name):
    """The image whose original or rendition is stored as ``name`` (``original_images/…``
    or ``images/…`` under the media root), or ``None``."""
    Image = get_image_model()
    if name.startswith("original_images/"):
        return Image.objects.filter(file=name).first()
    if name.startswith("images/"):
        rendition = (
            Image.get_rendition_model()
            .objects.filter(file=name)
            .select_related("image")
            .only("image")
            .first()
        )
        return rendition.image if rendition else None
    return None


def _image_or_404(name):
    if ".." in name.split("/") or "\x00" in name:  # no file; PostgreSQL refuses NUL
        raise Http404
    image = image_for_file(name)
    if image is None:
        raise Http404
    return image


def _image_file(image, name):
    """The stored file ``name`` of ``image``: its original or one of its renditions."""
    if name == image.file.name:
        return image.file
    return image.renditions.get(file=name).file


def serve_image_file(request, name):
    """``/media/original_images/…`` and ``/media/images/…`` served by the site (no nginx
    in front; on S3 also behind it): the rule first, then the file, or on S3 a redirect
    to the store."""
    image = _image_or_404(name)
    refused = refusal(image, request)
    if refused is not None:
        return _mark_private(refused)
    stored = _image_file(image, name)
    if not _on_disk(stored):
        return _redirect_to_store(stored, is_public(image))
    response = serve_file(request, stored, mimetypes.guess_type(name)[0])
    response["X-Content-Type-Options"] = "nosniff"
    if is_public(image):
        response["Cache-Control"] = PUBLIC_MEDIA_CACHE
    else:
        _mark_private(response)
    return response


def _on_disk(field_file):
    try:
        field_file.storage.path(field_file.name)
    except NotImplementedError:  # object storage
        return False
    return True


def _redirect_to_store(field_file, public):
    """Object storage: a redirect to a signed URL of the file, once the rule allowed it.

    Renditions (``pioneer.ops.storage.CheckedRenditionStorage``) give the same URL all
    through a time window, so a public picture's redirect may be kept by anyone until the
    window ends; any other file gets a fresh signed URL that nobody keeps."""
    signed_url = getattr(field_file.storage, "signed_url", None)
    if signed_url is None:
        return _mark_private(redirect(field_file.url))
    url, seconds_left = signed_url(field_file.name)
    response = redirect(url)
    if public:
        response["Cache-Control"] = f"public, max-age={seconds_left}"
        return response
    return _mark_private(response)


def media_check(request, name):
    """nginx's ``auth_request`` for ``/media/original_images/`` and ``/media/images/``:
    200 to send the file, with the Cache-Control it should carry, or 403 (nginx answers
    nothing else of a check). nginx keeps an anonymous answer a minute
    (``deploy/nginx/pioneer.conf``)."""
    try:
        image = _image_or_404(name)
        allowed = refusal(image, request) is None
    except (Http404, PermissionDenied):
        allowed = False
    response = HttpResponse(status=200 if allowed else 403)
    if allowed and is_public(image):
        response["Cache-Control"] = PUBLIC_MEDIA_CACHE
    else:
        response["Cache-Control"] = "private, max-age=3600" if allowed else "private, no-store"
    return response
