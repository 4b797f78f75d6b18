"""The fence around the shared listing filters: region lookups, the year rule and the
five functions' membership check are written only in the filter layer (and the regions
module), and no year list is written by hand."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Callers of find_region that are not listings: the importer and exporter keep their own
# parse path (a record or the command names a region), and an office's region is no filter.
FIND_REGION_ALLOWED = {
    "site/regions.py",
    "site/core/regions.py",  # where the regions module is moving
    "site/core/filters.py",
    "site/content_io/importer.py",
    "site/content_io/exporter.py",
    "site/management/commands/export_content.py",
    "site/management/commands/invite_user.py",
}
YEAR_RULE = re.compile(r"\[0-9\]\{4\}|1949|__year\b|\.dates\(")
FUNCTION_CHECK = re.compile(r"\bin Function\.values\b")


def _sources():
    for folder in ("site", "lessons", "news", "home", "search"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path.read_text(encoding="utf-8")


def test_region_lookups_and_the_year_rule_live_in_the_filter_layer():
    lookups = {path for path, text in _sources() if "find_region(" in text}
    assert lookups <= FIND_REGION_ALLOWED, lookups - FIND_REGION_ALLOWED
    year_rules = {path for path, text in _sources() if YEAR_RULE.search(text)}
    assert year_rules == {"site/core/filters.py"}, year_rules
    checks = {path for path, text in _sources() if FUNCTION_CHECK.search(text)}
    functions = {"lessons/functions.py", "site/core/five_functions.py"}
    assert checks <= {"site/core/filters.py", *functions}, checks


def test_no_year_list_is_written_by_hand():
    for path, text in _sources():
        assert not re.search(r"range\(\s*20[0-9]{2}\s*,", text), path


def test_the_filter_layer_imports_no_content_app_and_not_search():
    text = (ROOT / "site/core/filters.py").read_text(encoding="utf-8")
    module_level = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
    for line in module_level:
        assert not re.match(r"(from|import) (lessons|news|home|search)\b", line), line
