"""Records of an import file: reading JSONL or CSV (UTF-8 or GB18030) into records, and
the field-cleaning helpers the importer checks them with."""

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.module_loading import import_string

from pioneer.core import content_types
from pioneer.core.media import MEDIA_TYPES, VIDEO
from pioneer.core.spreadsheets import from_spreadsheet


def record_types():
    """Record ``type`` -> its ``RecordType``: each registered kind's (the registry's order,
    named by the kind's ``importer``), then those read with them (a series)."""
    found = {}
    for kind in content_types.kinds():
        if kind.importer:
            record_type = import_string(kind.importer)
            found[record_type.key] = record_type
    for record_type in list(found.values()):
        found.update((extra.key, extra) for extra in record_type.also)
    return found


class _Models(Mapping):
    """Record ``type`` -> page model, read from the registry when used (the apps declare
    their kinds in ``ready()``): the exported types, or every type records may have."""

    def __init__(self, exported_only):
        self.exported_only = exported_only

    def _models(self):
        return {
            key: record_type.get_model()
            for key, record_type in record_types().items()
            if record_type.exported or not self.exported_only
        }

    def __getitem__(self, key):
        return self._models()[key]

    def __iter__(self):
        return iter(self._models())

    def __len__(self):
        return len(self._models())


TYPES = _Models(exported_only=True)  # lessons, news and policies: exported and imported
RECORD_TYPES = _Models(exported_only=False)  # and those only imported (series)
CSV_LIST_SEPARATORS = (";", "；", "，", ",", "、")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, format)."""


@dataclass
class Record:
    line: int
    raw: str
    data: dict
    errors: list = field(default_factory=list)


def decode(content):
    """Text of an uploaded file: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文件编码无法识别：请使用 UTF-8 或 GB18030")


def _split_list(value):
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "")
    for separator in CSV_LIST_SEPARATORS[1:]:
        text = text.replace(separator, CSV_LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(CSV_LIST_SEPARATORS[0]) if part.strip()]


CHUNK = 1 << 20  # what a file is read in: memory stays flat in the file's size


def file_encoding(path):
    """``decode``'s choice for a file, found by reading it in pieces, not whole."""
    return stream_encoding(lambda: open(path, "rb"))


def stream_encoding(open_binary):
    """``decode``'s choice for the file ``open_binary()`` opens (a local file or an upload
    in storage), read in pieces."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open_binary() as handle:
                while chunk := handle.read(CHUNK):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文件编码无法识别：请使用 UTF-8 或 GB18030")


def text_lines(handle, encoding):
    """The lines of a binary file, decoded a piece at a time, each with its ending, split
    at "\n" only (as a decoded text's ``io.StringIO`` splits them for ``parse``)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    pending = ""
    while True:
        chunk = handle.read(CHUNK)
        pending += decoder.decode(chunk, final=not chunk)
        *complete, pending = pending.split("\n")
        for line in complete:
            yield line + "\n"
        if not chunk:
            break
    if pending:
        yield pending


def parse(text, name=""):
    """Records of a JSONL or CSV text; lines that are not records carry their error."""
    return list(iter_records(io.StringIO(text), name))


def iter_records(lines, name=""):
    """Records of a JSONL or CSV text file (opened with ``newline=""``), one at a time."""
    first = next(lines, "")
    lines = itertools.chain([first], lines)
    if name.lower().endswith(".csv") or (not name and first.lstrip().startswith("id,")):
        reader = csv.DictReader(lines)
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise ImportFileError("CSV 文件第一行应为列名，且包含 id 列")
        for number, row in enumerate(reader, start=2):
            # Cells as exports write them (``spreadsheet_safe``): taken back unchanged.
            data = {
                key: from_spreadsheet((value or "").strip()) for key, value in row.items() if key
            }
            for key in ("tags", "attachments"):
                if key in data:
                    data[key] = _split_list(data[key])
            yield Record(number, ",".join(row.get(k) or "" for k in reader.fieldnames), data)
        return
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield Record(number, line, {}, [f"不是有效的 JSON：{error.msg}"])
            continue
        if not isinstance(data, dict):
            yield Record(number, line, {}, ["每行应是一个 JSON 对象"])
            continue
        yield Record(number, line, data)


# The structured body blocks a record may carry (``blocks``; each record type's own), with their
# fields: what each is made of in the page's StreamField is ``_text_block``'s.
TEXT_BLOCKS = {
    "video": {"file": str, "title": str, "name": str},
    "audio": {"file": str, "title": str, "name": str},
    "attachment": {"file": str, "title": str, "name": str},
    "paragraph": {"text": str},
    "quote": {"text": str, "source": str},
    "outline": {"heading": str, "items": list},
    "steps": {"title": str, "steps": list},
}
# File blocks: ``file`` is a path under --media-dir, ``title`` the block's caption and
# ``name`` the file's title in the library (default "<id>:<file name>"; a file another
# record already brought under that name is shared, not stored again).
FILE_BLOCKS = {"video": VIDEO, "audio": set(MEDIA_TYPES) - VIDEO, "attachment": None}
REQUIRED_BLOCK_FIELDS = {
    "video": ("file",),
    "audio": ("file",),
    "attachment": ("file",),
    "paragraph": ("text",),
    "quote": ("text",),
    "outline": ("heading", "items"),
    "steps": ("steps",),
}
SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
SLUG_LENGTH = 70


def _clean_blocks(value, allowed, errors):
    """A record's ``blocks``: a list of {"type": …, field: …}; each bad block named."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list):
        errors.append("blocks 应为列表")
        return []
    blocks = []
    for number, block in enumerate(value, start=1):
        if not isinstance(block, dict):
            errors.append(f"blocks 第 {number} 项应为对象")
            continue
        block_type = str(block.get("type", ""))
        if block_type not in allowed:
            names = "、".join(allowed) or "无"
            errors.append(f"blocks 第 {number} 项的类型“{block_type[:40]}”不可用（可用：{names}）")
            continue
        clean = {"type": block_type}
        for name, expected in TEXT_BLOCKS[block_type].items():
            field_value = block.get(name, [] if expected is list else "")
            if expected is list:
                ok = isinstance(field_value, list) and all(isinstance(v, str) for v in field_value)
                field_value = [v.strip() for v in field_value if v.strip()] if ok else []
            else:
                ok = isinstance(field_value, str)
                field_value = field_value.strip() if ok else ""
            if not ok:
                shape = "文字列表" if expected is list else "文字"
                errors.append(f"blocks 第 {number} 项（{block_type}）的 {name} 应为{shape}")
            elif not field_value and name in REQUIRED_BLOCK_FIELDS[block_type]:
                errors.append(f"blocks 第 {number} 项（{block_type}）缺少 {name}")
            clean[name] = field_value
        extensions = FILE_BLOCKS.get(block_type)
        suffix = Path(clean.get("file", "")).suffix[1:].lower()
        if extensions and clean.get("file") and suffix not in extensions:
            names = "、".join(sorted(extensions))
            errors.append(f"blocks 第 {number} 项（{block_type}）的文件应为 {names}")
        blocks.append(clean)
    return blocks
