"""The storage classes' old path, kept: Wagtail's file-delete task rows carry it (deconstruct)."""

from pioneer.ops.storage import (  # noqa: F401
    CheckedRenditionStorage,
    ConfiguredS3Storage,
    NoURL,
    PrivateFileSystemStorage,
    PrivateS3Storage,
)
