"""Sending a stored file once the site has decided who may have it.

Behind nginx (``MEDIA_ACCEL_REDIRECT`` set, e.g. ``/_media_files/``), the answer is an
``X-Accel-Redirect`` to an internal location: nginx sends the bytes itself, with byte
ranges, conditional requests and sendfile, and no worker is held for a long download.
Without nginx (``./dev run``, gunicorn alone), the file streams from here and a
``Range`` request gets ``206 Partial Content``: Django's ``FileResponse`` always sends
the whole file, so a learner seeking in a lesson's video on a weak network would fetch
it again from the start, and iPhones refuse to play media from a server without ranges.

One range per request (``bytes=a-b``, ``bytes=a-``, ``bytes=-n``) is what media players
and download managers ask for; a request for several ranges gets the whole file, which
RFC 9110 (14.2) allows. With object storage, documents redirect to signed URLs that the
store serves with ranges itself, so nothing here is used for them.
"""

import mimetypes
import os
import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

CHUNK = 64 * 1024
_RANGE = re.compile(r"bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.ASCII)
UNSATISFIABLE = "unsatisfiable"


def parse_range(header, size):
    """The one byte range ``header`` asks of a file of ``size`` bytes, as ``(first,
    last)`` inclusive; ``None`` to send the whole file (no header, several ranges, a form
    not understood); ``UNSATISFIABLE`` when the range starts past the end."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if not match:
        return None  # several ranges, another unit, nonsense: the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return UNSATISFIABLE
        return max(size - length, 0), size - 1
    first = int(first)
    if first >= size:
        return UNSATISFIABLE
    last = size - 1 if not last else min(int(last), size - 1)
    if last < first:
        return None  # syntactically invalid: ignore the header
    return first, last


def _if_range_allows(request, etag, last_modified):
    """An ``If-Range`` naming another version of the file asks for all of it."""
    condition = request.headers.get("If-Range")
    if not condition:
        return True
    condition = condition.strip()
    if condition.startswith(('"', "W/")):
        return etag is not None and condition == etag  # strong comparison only
    date = parse_http_date_safe(condition)
    return date is not None and last_modified is not None and date == last_modified


def _chunks(path, first, length):
    with open(path, "rb") as handle:
        handle.seek(first)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                return
            length -= len(data)
            yield data


def serve_file(request, field_file, content_type=None, etag=None):
    """The response sending ``field_file`` (a stored file of the media storage on disk).

    ``etag`` (without quotes) is the file's hash where the model keeps one; the file's
    modification time serves for ``Last-Modified`` either way."""
    name = field_file.name
    if content_type is None:
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse(content_type=content_type)
        # nginx decodes the URI: names with spaces or Chinese characters reach the file.
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
        return response

    path = field_file.storage.path(name)
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        from django.http import Http404

        raise Http404("file missing") from None
    size, mtime = stat.st_size, int(stat.st_mtime)
    quoted_etag = f'"{etag}"' if etag else None
    not_modified = get_conditional_response(request, etag=quoted_etag, last_modified=mtime)
    if not_modified is not None:
        return not_modified

    wanted = None
    if request.method in ("GET", "HEAD") and _if_range_allows(request, quoted_etag, mtime):
        wanted = parse_range(request.headers.get("Range"), size)
    if wanted == UNSATISFIABLE:
        response = HttpResponse(status=416, content_type=content_type)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = FileResponse(open(path, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = wanted
        length = last - first + 1
        response = StreamingHttpResponse(
            _chunks(path, first, length), status=206, content_type=content_type
        )
        response["Content-Length"] = str(length)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(mtime)
    if quoted_etag:
        response["ETag"] = quoted_etag
    return response
