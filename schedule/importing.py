"""The import of a broadcast platform's schedule (XMLTV or CSV) into slots.

One parser per format turns the file into rows, each with the line it came from; then the
whole file is checked (times, channels, lessons, functions, regions, overlaps within the
file and with slots already kept, the week) before anything is written. A file with bad
lines writes nothing unless told to skip them. A slot is known by its channel and start:
the same values again write nothing, changed values are saved with a new revision (so the
slot's history shows the change), slots the file does not name are left alone.

Only the standard library reads the files: the XML parser refuses entity declarations and
a DOCTYPE's internal subset (the "billion laughs" and external entities) before parsing.
"""

import bisect
import csv
import dataclasses
import datetime
import io
import re
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.models import Locale

from lessons.models import LessonPage
from pioneer.core.five_functions import parse_function
from pioneer.core.regions import find_region
from schedule.listing import TZ, week_start
from schedule.models import MAX_SLOT, Channel, Slot

MAX_BYTES = 2 * 1024 * 1024  # a week of every channel is a few hundred KB at most
MAX_ROWS = 5000
MAX_CELL = 2000  # characters in one CSV cell or XML element's text
TITLE_LENGTH = Slot._meta.get_field("title").max_length
FORMATS = ("xmltv", "csv")
FORMAT_LABELS = {"xmltv": "XMLTV", "csv": "CSV"}
ENCODING_LABELS = {"utf-8": "UTF-8", "gb18030": "GB18030"}
FIELDS = ("ends_at", "title", "lesson", "function", "region", "repeat")


# ---------------------------------------------------------------------------- results


@dataclasses.dataclass
class Problem:
    """What is wrong, and on which line (None: the file as a whole)."""

    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("第 %(line)s 行：%(message)s") % {"line": self.line, "message": self.message}


@dataclasses.dataclass
class Result:
    format: str = ""
    encoding: str = ""
    week: datetime.date | None = None  # the Monday
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list = dataclasses.field(default_factory=list)  # [Problem], by line
    fatal: bool = False  # the file as a whole cannot be read: nothing can be imported
    written: bool = False
    dry_run: bool = False
    notes: list = dataclasses.field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    @property
    def format_label(self):
        return FORMAT_LABELS.get(self.format, "")

    @property
    def encoding_label(self):
        return ENCODING_LABELS.get(self.encoding, "")

    @property
    def week_end(self):
        return self.week + datetime.timedelta(days=6) if self.week else None

    def summary(self):
        """The outcome in a few Chinese lines."""
        lines = []
        if self.format:
            lines.append(
                _("文件格式：%(format)s，编码：%(encoding)s，共 %(rows)s 个节目")
                % {"format": self.format_label, "encoding": self.encoding_label, "rows": self.rows}
            )
        if self.week:
            lines.append(
                _("节目单周：%(start)s 至 %(end)s")
                % {"start": self.week.isoformat(), "end": self.week_end.isoformat()}
            )
        lines.extend(self.notes)
        if self.fatal:
            lines.append(_("文件无法读取，没有导入任何节目。"))
            return lines
        if self.problems and not self.skipped:  # errors, and not told to skip them
            if self.dry_run:
                lines.append(_("文件有错误：改正后再导入，或选择跳过有错误的行。"))
            else:
                lines.append(_("文件有错误，没有导入任何节目。"))
            return lines
        counts = _(
            "新增 %(created)s 个，修改 %(changed)s 个，未变 %(unchanged)s 个，跳过 %(skipped)s 行"
        ) % {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.dry_run:
            lines.append(_("只检查，没有写入。导入后将会：%(counts)s") % {"counts": counts})
        else:
            lines.append(counts)
        return lines


class FileProblem(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.problem = Problem(line, message)


# ---------------------------------------------------------------------------- decoding


def decode(data):
    """(text, encoding) of ``data``: UTF-8 (with or without BOM), else GB18030."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(_("这是 Excel 工作簿，不是 CSV：请在 Excel 中“另存为”CSV 文件后上传"))
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data[: error.start].count(b"\n") + 1
            raise FileProblem(
                _("文件编码无法识别：请用 UTF-8 或 GB18030 保存（第 %(byte)s 个字节）")
                % {"byte": error.start + 1},
                line,
            ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileProblem(_("文件含有二进制内容，不是文本文件"), line)
    return text, encoding


def detect_format(text):
    """XMLTV when the text starts with markup, else CSV (a CSV starts with its header)."""
    return "xmltv" if text.lstrip().startswith("<") else "csv"


# ---------------------------------------------------------------------------- rows


@dataclasses.dataclass
class Row:
    """One programme as the file gives it, before its names are looked up."""

    line: int
    channel: str = ""
    channel_names: tuple = ()  # XMLTV: the <channel>'s display names
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    end_time: datetime.time | None = None  # CSV: an end given as a time of the start's day
    duration: int | None = None  # minutes
    title: str = ""
    lesson: str = ""
    function: str = ""
    region: str = ""
    repeat: bool = False
    provided: frozenset = frozenset()  # of FIELDS the file sets
    errors: list = dataclasses.field(default_factory=list)


LOCAL_TIME = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*T\s*|\s+)?"
    r"(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?"
)
CLOCK = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?")
XMLTV_TIME = re.compile(
    r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?\s*(?:([+-])(\d{2}):?(\d{2})|(Z|UTC|GMT))?",
    re.IGNORECASE,
)
DURATION = re.compile(r"(\d{1,4})\s*(?:分钟|分|min|mins|minutes)?", re.IGNORECASE)
YES = {"是", "1", "yes", "y", "true", "重播", "√", "✓"}
NO = {"否", "0", "no", "n", "false", "首播", ""}


def parse_local_time(value):
    """An aware datetime in China Standard Time from "YYYY-MM-DD HH:MM" (or with /, ., 年月日
    and seconds), else None."""
    match = LOCAL_TIME.fullmatch(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return datetime.datetime(year, month, day, hour, minute, second, tzinfo=TZ)
    except ValueError:
        return None


def parse_clock(value):
    match = CLOCK.fullmatch(value.strip())
    if not match:
        return None
    hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return datetime.time(hour, minute, second)
    except ValueError:
        return None


def parse_xmltv_time(value):
    """XMLTV's "YYYYMMDDhhmm[ss] [+zzzz]" as an aware datetime (China Standard Time without
    an offset), else None."""
    match = XMLTV_TIME.fullmatch(value.strip())
    if not match:
        return None
    year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
    second = int(match.group(6) or 0)
    sign, hours, minutes, utc = match.group(7), match.group(8), match.group(9), match.group(10)
    if sign:
        if int(hours) > 14 or int(minutes) > 59:
            return None
        offset = datetime.timedelta(hours=int(hours), minutes=int(minutes))
        zone = datetime.timezone(-offset if sign == "-" else offset)
    elif utc:
        zone = datetime.UTC
    else:
        zone = TZ
    try:
        return datetime.datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def parse_repeat(value):
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _cell(row, value, label):
    """``value`` stripped, or an error on ``row`` when it is longer than any real one."""
    value = (value or "").strip()
    if len(value) > MAX_CELL:
        row.errors.append(_("“%(column)s”一栏太长") % {"column": label})
        return ""
    return value


# ---------------------------------------------------------------------------- CSV

# The columns, by their English and Chinese names (header cells are matched without case,
# spaces or a unit in brackets: "时长（分钟）" is "时长").
COLUMNS = {
    "channel": ("channel", "频道", "频道名称"),
    "start": ("start", "开始时间", "开始", "播出时间"),
    "end": ("end", "结束时间", "结束"),
    "duration": ("duration", "时长", "长度"),
    "title": ("title", "节目名称", "节目", "名称", "标题"),
    "lesson": ("lesson", "课程", "课程编号", "课程网址", "对应课程"),
    "function": ("function", "功能", "功能分类"),
    "region": ("region", "地区"),
    "repeat": ("repeat", "重播"),
}
COLUMN_LABELS = {
    "channel": "频道",
    "start": "开始时间",
    "end": "结束时间",
    "duration": "时长",
    "title": "节目名称",
    "lesson": "课程",
    "function": "功能",
    "region": "地区",
    "repeat": "重播",
}
_HEADER_NAMES = {name: key for key, names in COLUMNS.items() for name in names}
_UNIT = re.compile(r"[（(][^）)]*[）)]")


def _column(name):
    name = _UNIT.sub("", name.strip().lstrip("\ufeff")).replace(" ", "").replace("_", "")
    return _HEADER_NAMES.get(name.lower())


def parse_csv(text, notes):
    """The rows of a CSV file with a header row, each with the line it starts on."""
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)  # blank lines before the header
    except csv.Error:
        raise FileProblem(_("表头无法读取"), 1) from None
    if header is None:
        raise FileProblem(_("文件是空的"))
    header_line = reader.line_num
    columns, unknown = {}, []
    for index, name in enumerate(header):
        key = _column(name)
        if key is None:
            if name.strip():
                unknown.append(name.strip()[:40])
            continue
        if key in columns:
            raise FileProblem(
                _("表头中“%(column)s”一栏出现了两次") % {"column": COLUMN_LABELS[key]}, header_line
            )
        columns[key] = index
    missing = [key for key in ("channel", "start", "title") if key not in columns]
    if "end" not in columns and "duration" not in columns:
        missing.append("end")
    if missing:
        raise FileProblem(
            _("表头缺少这些列：%(columns)s（第一行应为列名，见说明）")
            % {"columns": "、".join(COLUMN_LABELS[key] for key in missing)},
            header_line,
        )
    if unknown:
        notes.append(_("忽略了不认识的列：%(columns)s") % {"columns": "、".join(unknown)})
    provided = {"ends_at", "title"} | {
        key for key in ("lesson", "function", "region", "repeat") if key in columns
    }
    rows = []
    previous = header_line
    while True:
        try:
            cells = next(reader, None)
        except csv.Error:
            raise FileProblem(_("这一行无法读取（引号不配对，或一格太长）"), previous + 1) from None
        if cells is None:
            break
        line, previous = previous + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileProblem(_("文件太大：最多 %(count)s 个节目") % {"count": MAX_ROWS}, line)
        rows.append(_csv_row(line, cells, columns, len(header), frozenset(provided)))
    return rows


def _csv_row(line, cells, columns, width, provided):
    row = Row(line=line, provided=provided)
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        row.errors.append(
            _("这一行有 %(cells)s 格，表头只有 %(columns)s 列（逗号多了？）")
            % {"cells": len(cells), "columns": width}
        )

    def get(key):
        index = columns.get(key)
        if index is None or index >= len(cells):
            return ""
        return _cell(row, cells[index], COLUMN_LABELS[key])

    row.channel = get("channel")
    row.title = get("title")
    row.lesson = get("lesson")
    row.function = get("function")
    row.region = get("region")
    start = get("start")
    if not start:
        row.errors.append(_("缺少开始时间"))
    else:
        row.start = parse_local_time(start)
        if row.start is None:
            row.errors.append(
                _("开始时间“%(value)s”无法识别：应为“2026-12-04 19:30”这样的日期和时间")
                % {"value": start}
            )
    end, duration = get("end"), get("duration")
    if end:
        row.end = parse_local_time(end)
        if row.end is None:
            row.end_time = parse_clock(end)
            if row.end_time is None:
                row.errors.append(
                    _("结束时间“%(value)s”无法识别：应为“2026-12-04 20:15”或“20:15”")
                    % {"value": end}
                )
    if duration:
        match = DURATION.fullmatch(duration)
        if match and int(match.group(1)) > 0:
            row.duration = int(match.group(1))
        else:
            row.errors.append(_("时长“%(value)s”无法识别：应为分钟数，如 45") % {"value": duration})
    if not end and not duration:
        row.errors.append(_("缺少结束时间或时长"))
    repeat = get("repeat")
    parsed = parse_repeat(repeat)
    if parsed is None:
        row.errors.append(_("重播一栏“%(value)s”无法识别：请填“是”或“否”") % {"value": repeat})
    else:
        row.repeat = parsed
    return row


# ---------------------------------------------------------------------------- XMLTV

ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
TITLE_LANGUAGES = ("zh-hans", "zh-cn", "zh", "")


class _Refused(Exception):
    def __init__(self, message, line):
        super().__init__(message)
        self.message, self.line = message, line


def _refuse_declarations(text):
    for pattern in (ENTITY, INTERNAL_SUBSET):
        match = pattern.search(text)
        if match:
            raise FileProblem(
                _("XML 文件不能含有实体（ENTITY）声明或 DOCTYPE 内部子集：出于安全考虑拒绝读取"),
                text[: match.start()].count("\n") + 1,
            )


def parse_xmltv(text):
    """The <programme>s of an XMLTV document, each with the line of its start tag."""
    _refuse_declarations(text)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack = []
    channels = {}  # id: [display names]
    programmes = []
    state = {"programme": None, "channel": None, "child": None}

    def refuse(*_args):
        raise _Refused(
            _("XML 文件不能含有实体（ENTITY）声明或 DOCTYPE 内部子集：出于安全考虑拒绝读取"),
            parser.CurrentLineNumber,
        )

    def doctype(_name, _system, _public, internal_subset):
        if internal_subset:
            refuse()

    def start(name, attrs):
        depth = len(stack)
        stack.append(name)
        if depth == 0:
            if name != "tv":
                raise _Refused(
                    _("这不是 XMLTV 文件：根元素应为 <tv>，而不是 <%(name)s>")
                    % {"name": name[:40]},
                    parser.CurrentLineNumber,
                )
        elif depth == 1 and name == "programme":
            if len(programmes) >= MAX_ROWS:
                raise _Refused(
                    _("文件太大：最多 %(count)s 个节目") % {"count": MAX_ROWS},
                    parser.CurrentLineNumber,
                )
            state["programme"] = {"line": parser.CurrentLineNumber, "attrs": attrs, "children": []}
        elif depth == 1 and name == "channel":
            state["channel"] = channels.setdefault(attrs.get("id", ""), [])
        elif depth == 2 and (state["programme"] or state["channel"] is not None):
            state["child"] = [name, attrs, []]

    def end(name):
        stack.pop()
        depth = len(stack)
        if depth == 2 and state["child"] is not None:
            child, state["child"] = state["child"], None
            if state["programme"] is not None:
                state["programme"]["children"].append(child)
            elif state["channel"] is not None and child[0] == "display-name":
                state["channel"].append("".join(child[2]).strip())
        elif depth == 1:
            if name == "programme" and state["programme"] is not None:
                programmes.append(state["programme"])
            state["programme"] = state["channel"] = None

    def characters(data):
        child = state["child"]
        if child is not None and len(stack) == 3:
            child[2].append(data)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = lambda *args: refuse()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(text, True)
    except _Refused as refused:
        raise FileProblem(refused.message, refused.line) from None
    except expat.ExpatError as error:
        raise FileProblem(
            _("XML 格式错误：%(error)s") % {"error": expat.ErrorString(error.code)}, error.lineno
        ) from None
    if not programmes:
        raise FileProblem(_("文件中没有节目（<programme>）"))
    return [_xmltv_row(programme, channels) for programme in programmes]


def _xmltv_row(programme, channels):
    attrs = programme["attrs"]
    row = Row(
        line=programme["line"],
        provided=frozenset({"ends_at", "title", "lesson", "function", "repeat"}),
    )
    row.channel = _cell(row, attrs.get("channel"), "channel")
    row.channel_names = tuple(name for name in channels.get(row.channel, ()) if name)
    start, stop = attrs.get("start", "").strip(), attrs.get("stop", "").strip()
    if not start:
        row.errors.append(_("缺少开始时间（start）"))
    else:
        row.start = parse_xmltv_time(start)
        if row.start is None:
            row.errors.append(
                _("开始时间“%(value)s”无法识别：应为“20261204193000 +0800”这样的 XMLTV 时间")
                % {"value": start[:40]}
            )
    if stop:
        row.end = parse_xmltv_time(stop)
        if row.end is None:
            row.errors.append(
                _("结束时间“%(value)s”无法识别：应为“20261204201500 +0800”这样的 XMLTV 时间")
                % {"value": stop[:40]}
            )
    titles, categories = {}, []
    for name, child_attrs, parts in programme["children"]:
        value = _cell(row, "".join(parts), name)
        if name == "title" and value:
            titles.setdefault(child_attrs.get("lang", "").lower(), value)
        elif name == "category" and value:
            categories.append(value)
        elif name == "url" and value and not row.lesson:
            row.lesson = value
        elif name == "length" and not stop:
            units = child_attrs.get("units", "minutes")
            factor = {"seconds": 1 / 60, "minutes": 1, "hours": 60}.get(units)
            if factor is None or not value.isdigit() or int(value) <= 0:
                row.errors.append(_("时长“%(value)s”无法识别") % {"value": value[:40]})
            else:
                row.duration = max(1, round(int(value) * factor))
        elif name == "previously-shown":
            row.repeat = True
    if not stop and row.duration is None:
        row.errors.append(_("缺少结束时间（stop）"))
    row.title = next(
        (titles[lang] for lang in TITLE_LANGUAGES if lang in titles),
        next(iter(titles.values()), ""),
    )
    if categories:
        row.function = next((c for c in categories if parse_function(c)), categories[0])
    return row


# ---------------------------------------------------------------------------- lookups


class Lookups:
    """Channels, lessons and regions by what the file calls them, each looked up once."""

    def __init__(self, channels=None):
        self.locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
        source = list(Channel.objects.filter(locale=self.locale).select_related("region"))
        self.by_slug = {channel.slug.lower(): channel for channel in source}
        self.by_name = {channel.name.strip(): channel for channel in source}
        by_key = {channel.translation_key: channel for channel in source}
        for other in Channel.objects.exclude(locale=self.locale):
            if other.translation_key in by_key:
                self.by_name.setdefault(other.name.strip(), by_key[other.translation_key])
        self.allowed = None if channels is None else {channel.pk for channel in channels}
        self._lessons = {}
        self._regions = {}

    def channel(self, row):
        for name in (row.channel, *row.channel_names):
            found = self.by_slug.get(name.lower()) or self.by_name.get(name)
            if found is not None:
                return found
        return None

    def lesson(self, value):
        if value not in self._lessons:
            self._lessons[value] = find_lesson(value)
        return self._lessons[value]

    def region(self, value):
        if value not in self._regions:
            self._regions[value] = find_region(value, self.locale)
        return self._regions[value]


def find_lesson(value):
    """The live lesson page ``value`` names: its id, or its address on this site (a full URL
    or a path such as ``/zh-hans/lessons/shiyong-jishu/…/``), else None."""
    value = value.strip()
    lessons = LessonPage.objects.live()
    if value.isdigit():
        return lessons.filter(pk=int(value)).first() if len(value) < 12 else None
    parts = urlsplit(value)
    path = unquote(parts.path)
    if parts.scheme not in ("", "http", "https") or not path.startswith("/"):
        return None
    if not path.endswith("/"):
        path += "/"
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    if not slug:
        return None
    for page in lessons.filter(slug=slug)[:20]:
        url_parts = page.get_url_parts()
        if url_parts is not None and unquote(url_parts[2]) == path:
            # A translation's address names the lesson: link the Chinese page, as editors do.
            source = lessons.filter(
                translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
            ).first()
            return source or page
    return None


# ---------------------------------------------------------------------------- checking


@dataclasses.dataclass
class Plan:
    """A row whose names are found: the slot it asks for."""

    row: Row
    channel: Channel | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    values: dict = dataclasses.field(default_factory=dict)

    @property
    def line(self):
        return self.row.line

    @property
    def errors(self):
        return self.row.errors

    @property
    def key(self):
        return (self.channel.pk, self.starts_at)

    @property
    def timed(self):
        """Whether the channel and both times are known (overlaps can be checked)."""
        return self.channel is not None and self.starts_at and self.ends_at


def local(moment):
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def _span(start, end):
    start, end = start.astimezone(TZ), end.astimezone(TZ)
    shown = end.strftime("%H:%M") if end.date() == start.date() else local(end)
    return f"{local(start)}–{shown}"


def resolve(row, lookups):
    plan = Plan(row=row)
    errors = row.errors
    if not row.channel and not row.channel_names:
        errors.append(_("缺少频道"))
    else:
        plan.channel = lookups.channel(row)
        if plan.channel is None:
            errors.append(
                _("未知的频道“%(value)s”：应为频道的网址名或名称") % {"value": row.channel[:60]}
            )
        elif lookups.allowed is not None and plan.channel.pk not in lookups.allowed:
            errors.append(
                _("你所在的单位不维护频道“%(channel)s”的节目单") % {"channel": plan.channel.name}
            )
    if row.start is not None:
        plan.starts_at = row.start.astimezone(TZ)
        end = row.end
        if end is None and row.end_time is not None:
            end = datetime.datetime.combine(plan.starts_at.date(), row.end_time, tzinfo=TZ)
        by_duration = (
            plan.starts_at + datetime.timedelta(minutes=row.duration) if row.duration else None
        )
        if end is not None and by_duration is not None and end != by_duration:
            errors.append(
                _("结束时间 %(end)s 与时长 %(minutes)s 分钟不一致")
                % {"end": local(end), "minutes": row.duration}
            )
        elif end is not None or by_duration is not None:
            end = (end or by_duration).astimezone(TZ)
            if end <= plan.starts_at:
                errors.append(
                    _("结束时间 %(end)s 不晚于开始时间 %(start)s")
                    % {"end": local(end), "start": local(plan.starts_at)}
                )
            elif end - plan.starts_at > MAX_SLOT:
                errors.append(
                    _("节目长于 12 小时：%(span)s") % {"span": _span(plan.starts_at, end)}
                )
            else:
                plan.ends_at = end
    values = {"ends_at": plan.ends_at}
    if not row.title:
        errors.append(_("缺少节目名称"))
    elif len(row.title) > TITLE_LENGTH:
        errors.append(_("节目名称超过 %(count)s 个字") % {"count": TITLE_LENGTH})
    values["title"] = row.title
    lesson = None
    if row.lesson:
        lesson = lookups.lesson(row.lesson)
        if lesson is None:
            errors.append(
                _("未知的课程“%(value)s”：应为本站已发布课程的编号或网址")
                % {"value": row.lesson[:100]}
            )
    if "lesson" in row.provided:
        values["lesson"] = lesson
    function = parse_function(row.function) if row.function else None
    if row.function and function is None:
        errors.append(
            _("未知的功能分类“%(value)s”：应为五大功能之一，如“实用技术培训”或 skills")
            % {"value": row.function[:40]}
        )
    if "function" in row.provided or lesson is not None:
        # Left empty, a linked lesson's function is the slot's.
        values["function"] = str(function or (lesson.function if lesson is not None else ""))
    if "region" in row.provided:
        region = lookups.region(row.region) if row.region else None
        if row.region and region is None:
            errors.append(_("未知的地区“%(value)s”") % {"value": row.region[:40]})
        values["region"] = region
    if "repeat" in row.provided:
        values["repeat"] = row.repeat
    plan.values = values
    return plan


def check_week(plans, week):
    """The Monday of the file's week; every start outside it is an error."""
    starts = [plan.starts_at for plan in plans if plan.starts_at is not None]
    if week is None:
        if not starts:
            return None
        week = min(starts).astimezone(TZ).date()
    monday = week_start(week)
    begin = datetime.datetime.combine(monday, datetime.time.min, tzinfo=TZ)
    end = begin + datetime.timedelta(days=7)
    for plan in plans:
        if plan.starts_at is not None and not begin <= plan.starts_at < end:
            plan.errors.append(
                _("开始时间 %(start)s 不在节目单这一周（%(monday)s 至 %(sunday)s）内")
                % {
                    "start": local(plan.starts_at),
                    "monday": monday.isoformat(),
                    "sunday": (monday + datetime.timedelta(days=6)).isoformat(),
                }
            )
            plan.ends_at = None  # not a slot: overlaps with it are not checked
    return monday


def check_overlaps_in_file(plans):
    """Two rows for one channel and start, or crossing times: the later line is wrong."""
    by_channel = {}
    for plan in plans:
        if plan.timed:
            by_channel.setdefault(plan.channel.pk, []).append(plan)
    for group in by_channel.values():
        group.sort(key=lambda plan: (plan.starts_at, plan.line))
        latest = None  # the kept plan that ends last so far
        for plan in group:
            if latest is not None and plan.starts_at == latest.starts_at:
                plan.errors.append(
                    _("与第 %(line)s 行的频道和开始时间相同") % {"line": latest.line}
                )
                continue
            if latest is not None and plan.starts_at < latest.ends_at:
                plan.errors.append(
                    _("与第 %(line)s 行“%(title)s”（%(span)s）时间重叠")
                    % {
                        "line": latest.line,
                        "title": latest.row.title[:40],
                        "span": _span(latest.starts_at, latest.ends_at),
                    }
                )
                continue
            if latest is None or plan.ends_at > latest.ends_at:
                latest = plan


def existing_slots(plans):
    """The kept slots of the file's channels around the file's times, by (channel, start)."""
    timed = [plan for plan in plans if plan.timed]
    if not timed:
        return {}
    slots = Slot.objects.filter(
        channel_id__in={plan.channel.pk for plan in timed},
        starts_at__lt=max(plan.ends_at for plan in timed),
        ends_at__gt=min(plan.starts_at for plan in timed),
    ).select_related("channel")
    return {(slot.channel_id, slot.starts_at): slot for slot in slots}


def check_overlaps_with_kept(plans, existing):
    """Rows crossing a kept slot that stays (one the file does not replace).

    A kept slot is replaced by the row with its channel and start, when that row is
    imported; a row that is not (it has errors) leaves the kept slot as it is, which may
    then cross another row. So this repeats until no more rows turn bad."""
    kept = {}  # channel: (sorted starts, [(start, end, key, slot)], the longest slot)
    for key, slot in sorted(existing.items(), key=lambda item: item[1].starts_at):
        start, end = slot.starts_at.timestamp(), slot.ends_at.timestamp()
        starts, entries, longest = kept.get(key[0], ([], [], 0))
        starts.append(start)
        entries.append((start, end, key, slot))
        kept[key[0]] = (starts, entries, max(longest, end - start))
    spans = {
        id(plan): (plan.starts_at.timestamp(), plan.ends_at.timestamp())
        for plan in plans
        if plan.timed
    }
    reported = set()
    while True:
        good = {plan.key for plan in plans if plan.timed and not plan.errors}
        turned_bad = False
        for plan in plans:
            if not plan.timed or plan.channel.pk not in kept:
                continue
            starts, entries, longest = kept[plan.channel.pk]
            begin, end = spans[id(plan)]
            first = bisect.bisect_left(starts, begin - longest)
            for _start, stop, key, slot in entries[first : bisect.bisect_left(starts, end)]:
                if stop <= begin or key == plan.key or key in good:
                    continue
                if (plan.line, slot.pk) in reported:
                    continue
                reported.add((plan.line, slot.pk))
                turned_bad = turned_bad or not plan.errors
                plan.errors.append(
                    _("与已有节目“%(title)s”（%(span)s）时间重叠")
                    % {"title": slot.title[:40], "span": _span(slot.starts_at, slot.ends_at)}
                )
        if not turned_bad:
            return


def differs(slot, values):
    for field, value in values.items():
        if field in ("lesson", "region"):
            if getattr(slot, f"{field}_id") != (value.pk if value is not None else None):
                return True
        elif getattr(slot, field) != value:
            return True
    return False


# ---------------------------------------------------------------------------- the import


def import_schedule(
    data,
    *,
    format=None,
    week=None,
    skip_errors=False,
    dry_run=False,
    user=None,
    channels=None,
):
    """Check the bytes of a schedule file and, when told and able, import it.

    ``format``: "xmltv" or "csv" (default: by the content). ``week``: a date of the week the
    file must keep to (default: the week of its earliest slot). ``channels``: the channels
    ``user`` may import into (default: all). Returns a :class:`Result`.
    """
    result = Result(dry_run=dry_run)
    try:
        if len(data) > MAX_BYTES:
            raise FileProblem(
                _("文件太大：不能超过 %(size)s MB") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        if not data.strip():
            raise FileProblem(_("文件是空的"))
        text, result.encoding = decode(data)
        result.format = format or detect_format(text)
        if result.format == "xmltv":
            rows = parse_xmltv(text)
        else:
            rows = parse_csv(text, result.notes)
        if not rows:
            raise FileProblem(_("文件中没有节目"))
    except FileProblem as problem:
        result.problems = [problem.problem]
        result.fatal = True
        return result
    result.rows = len(rows)
    try:
        with transaction.atomic():
            _check_and_write(rows, result, week, skip_errors, dry_run, user, channels)
    except IntegrityError:
        result.problems.append(Problem(None, _("另一个导入正在写入同一频道的节目，请稍后重试")))
        result.fatal = True
        result.written = False
        result.created = result.changed = result.unchanged = 0
    return result


def _check_and_write(rows, result, week, skip_errors, dry_run, user, channels):
    lookups = Lookups(channels)
    plans = [resolve(row, lookups) for row in rows]
    result.week = check_week(plans, week)
    check_overlaps_in_file(plans)
    existing = existing_slots(plans)
    check_overlaps_with_kept(plans, existing)
    bad = [plan for plan in plans if plan.errors]
    result.problems = [
        Problem(plan.line, _("；").join(dict.fromkeys(plan.errors)))
        for plan in sorted(bad, key=lambda plan: plan.line)
    ]
    if bad and not skip_errors:
        return
    result.skipped = len(bad)
    good = [plan for plan in plans if not plan.errors]
    for plan in good:
        slot = existing.get(plan.key)
        if slot is None:
            result.created += 1
            if not dry_run:
                _create(plan, user)
        elif differs(slot, plan.values):
            result.changed += 1
            if not dry_run:
                _change(slot, plan, user)
        else:
            result.unchanged += 1
    result.written = not dry_run and bool(result.created or result.changed)


def _create(plan, user):
    slot = Slot(channel=plan.channel, starts_at=plan.starts_at)
    for field, value in plan.values.items():
        setattr(slot, field, value)
    slot.clean_fields(exclude=["channel", "lesson", "region"])  # checked already: no queries
    CreateAction(slot, user=user, clean=False).execute(skip_permission_checks=True)


def _change(slot, plan, user):
    if slot.latest_revision_id is None:
        # A slot saved without a revision (by a script): keep its old values as the first.
        slot.save_revision(clean=False)
    for field, value in plan.values.items():
        setattr(slot, field, value)
    slot.clean_fields(exclude=["channel", "lesson", "region"])
    EditAction(slot, user=user, clean=False).execute(skip_permission_checks=True)
