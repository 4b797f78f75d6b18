"""Storages for files no URL may reach (import uploads, see SECURITY.md).

Kept apart from the code that uses them: the storage is built while ``pioneer.models``
loads (a callable ``storage`` of ImportJob.file), before anything that imports the models.
"""

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class NoURL:
    def url(self, name, *args, **kwargs):
        raise ValueError("files in this storage have no URL")


class PrivateFileSystemStorage(NoURL, FileSystemStorage):
    """On disk, outside MEDIA_ROOT: nothing serves the folder, and no address is made."""


class PrivateS3Storage(NoURL, S3Storage):
    """In the private bucket, under a prefix of its own: not even a signed URL is made."""
