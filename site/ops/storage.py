"""Storages for files no URL may reach (import uploads, see SECURITY.md), and for image
renditions on S3, reached only through the site's check.

Kept apart from the code that uses them: the storage is built while ``pioneer.models``
loads (a callable ``storage`` of ImportJob.file), before anything that imports the models.
"""

import hashlib
import time
from urllib.parse import urljoin

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class NoURL:
    def url(self, name, *args, **kwargs):
        raise ValueError("files in this storage have no URL")


class PrivateFileSystemStorage(NoURL, FileSystemStorage):
    """On disk, outside MEDIA_ROOT: nothing serves the folder, and no address is made."""


class ConfiguredS3Storage(S3Storage):
    """S3Storage given plain options only: its boto client configuration is built here.

    Wagtail deletes a file through a task whose argument is the storage's deconstructed
    options, which must serialise as JSON: a ``botocore.config.Config`` in the settings
    made every image or document delete on S3 fail (TypeError) and leave the object.
    SigV4, which every current S3 service accepts; path-style URLs on a custom endpoint
    (MinIO, S3Proxy, Ceph: no DNS name per bucket needed); checksums only where S3 requires
    them, since boto3's default CRC headers (x-amz-checksum-*) are refused by many
    S3-compatible servers.
    """

    def __init__(self, addressing_style="auto", **options):
        from botocore.config import Config

        options.setdefault(
            "client_config",
            Config(
                signature_version="s3v4",
                s3={"addressing_style": addressing_style},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                connect_timeout=5,
                read_timeout=60,
                retries={"mode": "standard", "max_attempts": 3},
            ),
        )
        super().__init__(**options)


class PrivateS3Storage(NoURL, ConfiguredS3Storage):
    """In the private bucket, under a prefix of its own: not even a signed URL is made."""


class CheckedRenditionStorage(ConfiguredS3Storage):
    """Image renditions on S3 as private objects, linked through the site.

    A rendition's URL is the site's ``/media/images/<name>``, the same as with local media,
    so every way to a picture runs the one rule of :mod:`pioneer.core.media_privacy`; once it
    allows, the site redirects to :meth:`signed_url`. The objects carry no public ACL, so
    the store refuses anyone without a signature.
    """

    def __init__(self, url_window=3600, **options):
        self.url_window = int(url_window)
        super().__init__(**options)

    def url(self, name, parameters=None, expire=None, http_method=None):
        from django.conf import settings

        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def store_url(self, name, expire=None):
        """A URL of the object on the store, signed for ``expire`` seconds."""
        return super().url(name, expire=expire)

    def signed_url(self, name):
        """(URL, seconds): a URL of the object signed until one ``url_window`` past the
        current window, the same for every request in the window (kept in the cache, so a
        browser, nginx or a CDN may keep the redirect and the picture until the window
        ends), and the seconds left in the window."""
        now = time.time()
        window = int(now // self.url_window)
        left = max(0, int((window + 1) * self.url_window - now))
        digest = hashlib.sha256(f"{self.bucket_name}/{self.location}/{name}".encode()).hexdigest()
        key = f"rendition-url:{window}:{digest}"
        url = cache.get(key)
        if url is None:
            url = self.store_url(name, expire=left + self.url_window)
            if not cache.add(key, url, timeout=left or 1):
                url = cache.get(key) or url  # another request signed it first: use theirs
        return url, left
