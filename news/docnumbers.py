"""Moved to ``pioneer.core.text.docnumbers`` (search reads it too, and imports no content
app); this name is kept for one release."""

from pioneer.core.text.docnumbers import (  # noqa: F401
    looks_like_doc_number,
    normalise,
    validate,
)
