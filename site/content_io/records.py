"""Records of an import file: reading JSONL or CSV (UTF-8 or GB18030) into records, and
the field-cleaning helpers the importer checks them with."""

import codecs
import csv
import io
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lessons.models import LessonPage, LessonSeriesPage
from news.models import (
    NewsPage,
    PolicyPage,
    PolicyRelation,
)
from pioneer.core.media import MEDIA_TYPES, VIDEO
from pioneer.core.spreadsheets import from_spreadsheet

TYPES = {"lesson": LessonPage, "news": NewsPage, "policy": PolicyPage}
# Series (专题) are read too, not exported: a series is its lessons' order, matched by its
# address (it has no source id), and written through the page API (``_write_series``).
SERIES = "series"
RECORD_TYPES = {**TYPES, SERIES: LessonSeriesPage}
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


def file_encoding(path):
    """``decode``'s choice for a file, found by reading it in pieces, not whole."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文件编码无法识别：请使用 UTF-8 或 GB18030")


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


# The structured body blocks a record may carry (``blocks``), by page type, with their
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
BLOCKS_OF_TYPE = {
    "lesson": ("paragraph", "quote", "outline", "steps", "video", "audio", "attachment"),
    "news": ("paragraph", "quote", "attachment"),
    "policy": ("paragraph", "quote", "attachment"),
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


def _clean_blocks(value, kind, errors):
    """A record's ``blocks``: a list of {"type": …, field: …}; each bad block named."""
    if value in (None, "", []):
        return []
    if not isinstance(value, list):
        errors.append("blocks 应为列表")
        return []
    allowed, blocks = BLOCKS_OF_TYPE.get(kind, ()), []
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


def _clean_members(value, errors):
    """A series record's ``lessons``: the ids of its lesson records, in order."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append("专题的 lessons 应为课程 id 的列表")
        return []
    members = [v.strip() for v in value if v.strip()]
    if not members:
        errors.append("专题缺少课程（lessons）")
    duplicates = sorted({v for v in members if members.count(v) > 1})
    if duplicates:
        errors.append(f"专题中的课程 id“{duplicates[0][:64]}”重复")
    return members


def _clean_relations(value, own_id, errors):
    """A policy record's ``relations``: [[kind, id of an earlier policy record], …]."""
    if not isinstance(value, list):
        errors.append("relations 应为列表")
        return []
    kinds, relations = set(PolicyRelation.Kind.values), []
    for number, pair in enumerate(value, start=1):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        ):
            errors.append(f"relations 第 {number} 项应为 [关系, 文件 id]")
        elif pair[0] not in kinds:
            errors.append(f"relations 第 {number} 项的关系“{pair[0][:20]}”应为 amends 或 repeals")
        elif pair[1].strip() == own_id:
            errors.append(f"relations 第 {number} 项指向文件自己")
        else:
            relations.append((pair[0], pair[1].strip()))
    return relations
