"""The import of a broadcast platform's schedule (schedule/importing.py and the
``import_schedule`` command): XMLTV and CSV, valid and broken, checked as a whole before
anything is written; the same file twice writes nothing; a changed slot keeps its history."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Locale, ModelLogEntry

from schedule.importing import TZ, import_schedule, parse_xmltv_time
from schedule.models import Channel, Slot
from tests.support.factories import make_lesson, region

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
MONDAY = datetime.date(2026, 12, 7)


def at(day, hour, minute=0):
    """An aware datetime in China Standard Time on December ``day``, 2026."""
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


def read(name):
    return (FILES / name).read_bytes()


@pytest.fixture
def channels():
    locale = Locale.objects.get(language_code="zh-hans")
    province = Channel.objects.create(
        name="浙江远程教育频道", slug="zjyj", region=region("zhejiang"), locale=locale
    )
    city = Channel.objects.create(
        name="杭州远教频道", slug="hzyj", region=region("hangzhou"), locale=locale
    )
    return province, city


@pytest.fixture
def rice():
    return make_lesson("水稻栽培", function="skills")


def slot(channel, start):
    return Slot.objects.get(channel=channel, starts_at=start)


def lines(result):
    return [problem.line for problem in result.problems]


def text(result):
    return "\n".join(str(problem) for problem in result.problems)


# ---------------------------------------------------------------------------- XMLTV


def test_a_valid_xmltv_file_is_imported(channels, rice):
    province, city = channels
    result = import_schedule(read("week.xml"))

    assert result.ok, text(result)
    assert (result.format, result.encoding, result.week) == ("xmltv", "utf-8", MONDAY)
    assert (result.created, result.changed, result.unchanged, result.skipped) == (5, 0, 0, 0)
    assert result.written

    first = slot(province, at(7, 19, 30))
    assert first.ends_at == at(7, 20, 15)
    assert first.title == "水稻栽培技术"  # the Chinese title, not the English one before it
    assert first.lesson_id == rice.pk  # by its full URL
    assert first.function == "skills"  # by its Chinese label
    assert first.repeat is False  # <premiere/>

    utc = slot(province, at(7, 20, 15))  # 12:15 UTC is 20:15 in China
    assert (utc.title, utc.ends_at, utc.function) == ("乡村文化大讲堂", at(7, 21), "culture")
    assert utc.lesson_id is None

    repeat = slot(province, at(8, 9))  # no offset: China Standard Time
    assert repeat.repeat is True  # <previously-shown/>
    assert repeat.lesson_id == rice.pk  # by its path, percent-encoded
    assert repeat.function == "skills"  # no category: the lesson's
    assert repeat.ends_at == at(8, 9, 45)

    by_length = slot(province, at(13, 20))
    assert by_length.ends_at == at(13, 20, 30)  # <length units="minutes">30</length>

    other = slot(city, at(7, 19, 30))  # the channel's id is unknown, its display name known
    assert other.title == "杭州新闻"

    for each in Slot.objects.all():
        assert each.revisions.count() == 1
        assert each.latest_revision is not None
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 5


def test_a_broken_xmltv_file_names_every_bad_line_and_imports_nothing(channels, rice):
    result = import_schedule(read("broken.xml"))

    assert not result.fatal
    assert lines(result) == [7, 10, 13, 16, 20, 23, 26]
    messages = dict((problem.line, problem.message) for problem in result.problems)
    assert "与第 4 行“水稻栽培技术”（2026-12-07 19:30–20:15）时间重叠" in messages[7]
    assert "未知的频道“cctv99”" in messages[10]
    assert "不晚于开始时间" in messages[13]
    assert "未知的课程“/zh-hans/lessons/shiyong-jishu/no-such-lesson/”" in messages[16]
    assert "不在节目单这一周（2026-12-07 至 2026-12-13）内" in messages[20]
    assert "开始时间“2026-12-09 19:30”无法识别" in messages[23]
    assert "缺少节目名称" in messages[26] and "未知的功能分类“电视剧”" in messages[26]
    assert str(result.problems[0]).startswith("第 7 行：")
    assert "文件有错误，没有导入任何节目。" in result.summary()
    assert not result.written
    assert not Slot.objects.exists()


def test_the_good_lines_of_a_broken_file_with_skip_errors(channels, rice):
    result = import_schedule(read("broken.xml"), skip_errors=True)

    assert (result.created, result.skipped) == (2, 7)
    assert sorted(Slot.objects.values_list("title", flat=True)) == ["好的节目", "水稻栽培技术"]


@pytest.mark.parametrize(
    "xml",
    [
        "entities.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE tv [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>'
        '<tv><programme start="20261207193000" stop="20261207200000" channel="zjyj">'
        "<title>&secret;</title></programme></tv>",
    ],
)
def test_xml_with_entity_declarations_is_refused(channels, xml):
    data = read(xml) if xml.endswith(".xml") else xml.encode()
    result = import_schedule(data)

    assert result.fatal
    assert "ENTITY" in text(result) and "出于安全考虑拒绝读取" in text(result)
    assert lines(result) == [3]
    assert not Slot.objects.exists()


def test_xml_that_is_not_xmltv_or_not_well_formed(channels):
    result = import_schedule(b'<?xml version="1.0"?>\n<html><body>x</body></html>')
    assert result.fatal and "根元素应为 <tv>" in text(result)

    result = import_schedule(b"<tv>\n<programme start='20261207193000'>\n</tv>")
    assert result.fatal and lines(result) == [3] and "XML 格式错误" in text(result)

    result = import_schedule(b"<tv></tv>")
    assert result.fatal and "没有节目" in text(result)


def test_xmltv_times():
    assert parse_xmltv_time("20261207193000 +0800") == at(7, 19, 30)
    assert parse_xmltv_time("20261207113000 +0000") == at(7, 19, 30)
    assert parse_xmltv_time("202612071930") == at(7, 19, 30)  # XMLTV may leave out seconds
    assert parse_xmltv_time("20261207063000 -0500") == at(7, 19, 30)
    assert parse_xmltv_time("20261207113000 Z") == at(7, 19, 30)
    assert parse_xmltv_time("20261332193000 +0800") is None
    assert parse_xmltv_time("20261207193000 +9900") is None
    assert parse_xmltv_time("tomorrow") is None


# ---------------------------------------------------------------------------- CSV


def check_week_csv(province, city, rice):
    first = slot(province, at(7, 19, 30))
    assert (first.ends_at, first.title, first.lesson_id) == (at(7, 20, 15), "水稻栽培技术", rice.pk)
    assert (first.function, first.region_id, first.repeat) == ("skills", None, False)

    second = slot(province, at(8, 9))  # the channel by its name; 2026/12/08; a duration
    assert second.ends_at == at(8, 9, 45)
    assert second.title == "水稻栽培技术（重播）"
    assert second.lesson_id == rice.pk  # by its full URL
    assert second.function == "skills"  # empty: the lesson's
    assert second.region == region("tonglu")  # 桐庐县
    assert second.repeat is True

    third = slot(province, at(9, 19, 30))  # 2026/12/9; an end as a time and a duration agree
    assert third.ends_at == at(9, 20)
    assert third.title == "党的创新理论，农村怎么学"  # a quoted cell with a comma
    assert (third.function, third.region, third.repeat) == ("theory", region("tonglu"), False)

    news = slot(city, at(7, 19, 30))
    assert (news.ends_at, news.region, news.repeat) == (at(7, 20), region("hangzhou"), False)


def test_a_valid_csv_file_is_imported(channels, rice):
    result = import_schedule(read("week.csv"))

    assert result.ok, text(result)
    assert (result.format, result.encoding, result.week) == ("csv", "utf-8", MONDAY)
    assert (result.created, result.changed, result.unchanged, result.skipped) == (4, 0, 0, 0)
    assert "忽略了不认识的列：备注" in result.summary()
    check_week_csv(*channels, rice)
    assert all(each.revisions.count() == 1 for each in Slot.objects.all())


def test_a_csv_file_saved_in_gb18030_is_imported(channels, rice):
    data = read("week.csv").decode("utf-8").encode("gb18030")  # as Chinese Windows saves it
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = import_schedule(data)

    assert result.ok, text(result)
    assert (result.encoding, result.created) == ("gb18030", 4)
    assert "编码：GB18030" in result.summary()[0]
    check_week_csv(*channels, rice)


def test_a_csv_file_with_a_bom_and_english_names(channels, rice):
    data = (
        "\ufeffChannel,Start,Duration,Title,Lesson,Function,Region,Repeat\n"
        f"zjyj,2026-12-07 19:30,45,水稻栽培,{rice.pk},实用技术培训,330122,yes\n"
    ).encode()
    result = import_schedule(data)

    assert result.ok, text(result)
    imported = slot(channels[0], at(7, 19, 30))
    assert (imported.ends_at, imported.lesson_id, imported.repeat) == (at(7, 20, 15), rice.pk, True)
    assert imported.region == region("tonglu")  # by its code


def test_a_tab_separated_file_and_dates_in_chinese(channels):
    data = (
        "频道\t开始时间\t结束时间\t节目名称\n"
        "zjyj\t2026年12月7日 19:30\t2026年12月7日 20:00:00\t水稻，小麦\n"
        "zjyj\t2026.12.08 19：30\t20：00\t油菜\n"
    ).encode("gb18030")
    result = import_schedule(data)

    assert result.ok, text(result)
    assert slot(channels[0], at(7, 19, 30)).title == "水稻，小麦"
    assert slot(channels[0], at(8, 19, 30)).ends_at == at(8, 20)


def test_a_lesson_by_the_address_of_its_translation(channels, rice):
    from wagtail.models import Locale

    english = rice.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    english.refresh_from_db()
    assert english.url.startswith("/en/") and english.live
    data = f"channel,start,duration,title,lesson\nzjyj,2026-12-07 19:30,30,水稻,{english.url}\n"
    result = import_schedule(data.encode())

    assert result.ok, text(result)
    assert slot(channels[0], at(7, 19, 30)).lesson_id == rice.pk  # the Chinese page


def test_a_broken_csv_file_names_every_bad_line_and_imports_nothing(channels, rice):
    result = import_schedule(read("broken.csv"))

    assert not result.fatal
    assert lines(result) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    messages = dict((problem.line, problem.message) for problem in result.problems)
    assert "未知的频道“cctv99”" in messages[3]
    assert "结束时间 2026-12-08 09:30 不晚于开始时间 2026-12-08 10:00" in messages[4]
    assert "与第 2 行“水稻栽培技术”（2026-12-07 19:30–20:15）时间重叠" in messages[5]
    assert "未知的课程“/zh-hans/lessons/shiyong-jishu/no-such-lesson/”" in messages[6]
    assert "未知的课程“999999”" in messages[7]
    assert "不在节目单这一周（2026-12-07 至 2026-12-13）内" in messages[8]
    assert "未知的功能分类“电视剧”" in messages[9]
    assert "未知的地区“火星”" in messages[10]
    assert "重播一栏“也许”无法识别" in messages[11]
    assert "缺少节目名称" in messages[12] and "缺少结束时间或时长" in messages[12]
    assert not Slot.objects.exists()


def test_the_good_lines_of_a_broken_csv_file_with_skip_errors(channels, rice):
    result = import_schedule(read("broken.csv"), skip_errors=True)

    assert (result.created, result.changed, result.unchanged, result.skipped) == (2, 0, 0, 10)
    assert sorted(Slot.objects.values_list("title", flat=True)) == ["好的节目", "水稻栽培技术"]


@pytest.mark.parametrize(
    "data, line",
    [
        (
            "频道,开始时间,时长,节目名称\nzjyj,2026-12-07 19:30,30,水稻\n".encode() + b"\xff\xfe\n",
            3,
        ),
        (b"\xff\xfe\x00c\x00h\x00a\x00n", 1),  # UTF-16, as Excel's "Unicode text" saves
        (b"\x80abc", 1),
    ],
)
def test_a_file_in_another_encoding_is_refused(channels, data, line):
    result = import_schedule(data)

    assert result.fatal
    assert lines(result) == [line]
    assert "文件编码无法识别：请用 UTF-8 或 GB18030 保存" in text(result)
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "文件是空的"),
        (b"  \n\n", "文件是空的"),
        (
            "频道,开始时间,节目名称\nzjyj,2026-12-07 19:30,水稻\n".encode(),
            "表头缺少这些列：结束时间",
        ),
        (b"title,title,channel\n", "出现了两次"),
        ("频道,开始时间,时长,节目名称\n".encode(), "没有节目"),
        (b"PK\x03\x04\x14\x00\x06\x00", "这是 Excel 工作簿"),
        (b"abc\x00def", "二进制"),
        (b"x" * (2 * 1024 * 1024 + 1), "文件太大"),
        (
            '频道,开始时间,时长,节目名称\nzjyj,2026-12-07 19:30,30,"'.encode() + b"x" * 200_000,
            "无法读取",
        ),
    ],
)
def test_files_that_cannot_be_read(channels, data, message):
    result = import_schedule(data)
    assert result.fatal
    assert message in text(result)


def test_a_week_given_and_slots_outside_it(channels, rice):
    result = import_schedule(read("week.csv"), week=datetime.date(2026, 12, 16))

    assert lines(result) == [2, 3, 4, 5]
    assert "不在节目单这一周（2026-12-14 至 2026-12-20）内" in text(result)
    assert result.week == datetime.date(2026, 12, 14)
    assert not Slot.objects.exists()


def test_two_rows_for_one_slot(channels):
    data = (
        "channel,start,duration,title\n"
        "zjyj,2026-12-07 19:30,30,水稻\n"
        "zjyj,2026-12-07 19:30,30,小麦\n"
        "hzyj,2026-12-07 19:30,30,小麦\n"  # another channel: no overlap
    ).encode()
    result = import_schedule(data)
    assert lines(result) == [3]
    assert "与第 2 行的频道和开始时间相同" in text(result)


def test_a_dry_run_writes_nothing(channels, rice):
    result = import_schedule(read("week.csv"), dry_run=True)

    assert (result.created, result.written) == (4, False)
    assert "只检查，没有写入。" in result.summary()[-1]
    assert not Slot.objects.exists()


# ---------------------------------------------------------------------------- again, changed


@pytest.mark.parametrize("name, count", [("week.xml", 5), ("week.csv", 4)])
def test_importing_the_same_file_again_changes_nothing(channels, rice, name, count):
    import_schedule(read(name))
    revisions = {each.pk: each.revisions.count() for each in Slot.objects.all()}
    logs = ModelLogEntry.objects.count()
    saved = {each.pk: (each.latest_revision_id, each.ends_at) for each in Slot.objects.all()}

    result = import_schedule(read(name))
    assert (result.created, result.changed, result.unchanged) == (0, 0, count)
    assert not result.written
    assert {each.pk: each.revisions.count() for each in Slot.objects.all()} == revisions
    assert ModelLogEntry.objects.count() == logs
    assert {
        each.pk: (each.latest_revision_id, each.ends_at) for each in Slot.objects.all()
    } == saved

    resaved = read(name).decode().encode("gb18030")  # the same, saved again in GB18030
    result = import_schedule(resaved)
    assert (result.created, result.changed, result.unchanged) == (0, 0, count)


def test_a_file_in_another_format_changes_only_what_it_says(channels, rice):
    import_schedule(read("week.csv"))
    result = import_schedule(read("week.xml"))  # XMLTV carries no region: regions stay
    assert (result.created, result.changed, result.unchanged) == (2, 1, 2)
    assert slot(channels[0], at(8, 9)).title == "水稻栽培技术"
    assert slot(channels[0], at(8, 9)).region == region("tonglu")


def test_a_changed_slot_keeps_its_history(channels, rice):
    province = channels[0]
    import_schedule(read("week.csv"))
    changed = (
        read("week.csv")
        .decode()
        .replace(
            "2026-12-07 19:30,2026-12-07 20:15,,水稻栽培技术",
            "2026-12-07 19:30,2026-12-07 20:00,,水稻栽培新技术",
        )
    )
    result = import_schedule(changed.encode())

    assert (result.created, result.changed, result.unchanged) == (0, 1, 3)
    current = slot(province, at(7, 19, 30))
    assert (current.title, current.ends_at) == ("水稻栽培新技术", at(7, 20))
    revisions = list(current.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 2
    old, new = (revision.as_object() for revision in revisions)
    assert (old.title, old.ends_at) == ("水稻栽培技术", at(7, 20, 15))
    assert (new.title, new.ends_at) == ("水稻栽培新技术", at(7, 20))
    assert current.latest_revision == revisions[-1]
    actions = ModelLogEntry.objects.for_instance(current).values_list("action", flat=True)
    assert sorted(actions) == ["wagtail.create", "wagtail.edit"]


def test_a_slot_saved_without_a_revision_keeps_its_old_values_too(channels):
    province = channels[0]
    kept = Slot.objects.create(
        channel=province, starts_at=at(7, 19, 30), ends_at=at(7, 20), title="旧名称"
    )
    data = "channel,start,end,title\nzjyj,2026-12-07 19:30,2026-12-07 20:00,新名称\n".encode()
    result = import_schedule(data)

    assert result.changed == 1
    old, new = (r.as_object() for r in kept.revisions.order_by("created_at", "pk"))
    assert (old.title, new.title) == ("旧名称", "新名称")


def test_slots_kept_already_overlap_unless_the_file_replaces_them(channels):
    province = channels[0]
    Slot.objects.create(channel=province, starts_at=at(8, 19), ends_at=at(8, 20), title="已有甲")
    Slot.objects.create(channel=province, starts_at=at(9, 19), ends_at=at(9, 20), title="已有乙")
    data = (
        "channel,start,duration,title\n"
        "zjyj,2026-12-08 19:30,30,与已有甲重叠\n"
        "zjyj,2026-12-09 19:00,30,替换已有乙\n"  # the same slot, now shorter
        "zjyj,2026-12-09 19:30,30,在替换后的乙之后\n"
    ).encode()
    result = import_schedule(data)

    assert lines(result) == [2]
    assert "与已有节目“已有甲”（2026-12-08 19:00–20:00）时间重叠" in text(result)

    result = import_schedule(data, skip_errors=True)
    assert (result.created, result.changed, result.skipped) == (1, 1, 1)
    assert slot(province, at(9, 19)).ends_at == at(9, 19, 30)
    assert Slot.objects.filter(title="已有甲").exists()  # slots the file leaves out stay


def test_a_skipped_line_leaves_its_kept_slot_which_may_then_overlap(channels):
    province = channels[0]
    Slot.objects.create(channel=province, starts_at=at(9, 19), ends_at=at(9, 20), title="已有乙")
    data = (
        "channel,start,duration,title,function\n"
        "zjyj,2026-12-09 19:00,30,替换已有乙,不存在的功能\n"  # bad: 已有乙 stays 19:00-20:00
        "zjyj,2026-12-09 19:30,30,在乙之后\n"
    ).encode()
    result = import_schedule(data, skip_errors=True)

    assert lines(result) == [2, 3]
    assert "与已有节目“已有乙”" in result.problems[1].message
    assert (result.created, result.changed) == (0, 0)


# ---------------------------------------------------------------------------- the command


def run(*args):
    out = io.StringIO()
    call_command("import_schedule", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_imports_a_valid_file(channels, rice):
    output = run(str(FILES / "week.xml"))
    assert "文件格式：XMLTV，编码：UTF-8，共 5 个节目" in output
    assert "节目单周：2026-12-07 至 2026-12-13" in output
    assert "新增 5 个，修改 0 个，未变 0 个，跳过 0 行" in output
    assert "文件中没有的节目保持不变。" in output
    assert Slot.objects.count() == 5

    assert "新增 0 个，修改 0 个，未变 5 个" in run(str(FILES / "week.xml"))


def test_the_command_refuses_a_broken_file_naming_every_bad_line(channels, rice):
    with pytest.raises(CommandError) as error:
        run(str(FILES / "broken.csv"))
    message = str(error.value)
    assert "没有导入任何节目" in message and "--skip-errors" in message
    for line in range(3, 13):
        assert f"第 {line} 行：" in message
    assert not Slot.objects.exists()


def test_the_command_with_skip_errors_and_dry_run(channels, rice):
    output = run(str(FILES / "broken.csv"), "--skip-errors", "--dry-run")
    assert "只检查，没有写入。导入后将会：新增 2 个" in output
    assert not Slot.objects.exists()

    output = run(str(FILES / "broken.csv"), "--skip-errors")
    assert "新增 2 个，修改 0 个，未变 0 个，跳过 10 行" in output
    assert "第 12 行：" in output
    assert Slot.objects.count() == 2


def test_the_command_options(channels, rice, tmp_path):
    output = run(str(FILES / "week.csv"), "--week", "2026-12-10", "--format", "csv", "--dry-run")
    assert "新增 4 个" in output

    with pytest.raises(CommandError, match="不在节目单这一周"):
        run(str(FILES / "week.csv"), "--week", "2026-12-14")
    with pytest.raises(CommandError, match="--week 应为日期"):
        run(str(FILES / "week.csv"), "--week", "next monday")
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="文件无法导入"):
        run(str(FILES / "entities.xml"))
    with pytest.raises(CommandError, match="表头缺少这些列"):
        run(str(FILES / "week.xml"), "--format", "csv")
