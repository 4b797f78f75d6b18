"""The import task under the name the task queue stores it by (persisted in its rows), with
the job helpers; they live in ``pioneer.content_io.jobs``."""

from pioneer.content_io.jobs import (
    clean_import_uploads,
    discard_upload,
    run_import_job,
    validate_job,
)

__all__ = ["clean_import_uploads", "discard_upload", "run_import_job", "validate_job"]
