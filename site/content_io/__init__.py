"""The bulk importer and exporter (DESIGN.md contract 1): ``records`` reads a file into
records, ``importer`` validates and writes them as pages (``bulk``: their tree places and
deferred writes, a batch at a time), ``exporter`` writes the site's content back out;
``jobs``, ``sample``, ``admin_views`` and ``admin_hooks`` are the admin's import pages.
What each record type holds is its content app's (``RecordType``s the registry names).

The names the commands, the admin and the demo loader import are re-exported here."""

from pioneer.content_io.exporter import EXPORT_FIELDS, export_records, write_csv, write_jsonl
from pioneer.content_io.importer import Importer, Progress
from pioneer.content_io.records import (
    RECORD_TYPES,
    TYPES,
    ImportFileError,
    Record,
    decode,
    file_encoding,
    iter_records,
    parse,
)

__all__ = [
    "EXPORT_FIELDS",
    "RECORD_TYPES",
    "TYPES",
    "ImportFileError",
    "Importer",
    "Progress",
    "Record",
    "decode",
    "export_records",
    "file_encoding",
    "iter_records",
    "parse",
    "write_csv",
    "write_jsonl",
]
