"""``manage.py setup_site`` builds the real site's structure on an empty database, as an
operator runs it; ``import_content`` then imports records naming real cities and counties,
and before it says in one line what to run first."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from news.models import NewsIndexPage
from pioneer.core.offices import RegionRole
from pioneer.core.regions import region_data
from pioneer.models import Region

ROOT = Path(__file__).resolve().parents[2]

RECORDS = [
    # Real places named every way an office might: short name, full name, code, slug.
    {"id": "qz-1", "type": "lesson", "category": "skills", "region": "衢州", "title": "柑橘修剪"},
    {"id": "cq-1", "type": "news", "region": "330127", "title": "淳安县远教站点培训"},
    {"id": "jn-1", "type": "news", "region": "景宁畲族自治县", "title": "景宁畲乡远教"},
    {
        "id": "lg-1",
        "type": "lesson",
        "category": "theory",
        "region": "longgang",
        "title": "龙港党课",
    },
    {
        "id": "kq-1",
        "type": "lesson",
        "category": "culture",
        "region": "柯桥区",
        "title": "柯桥越剧",
    },
    {"id": "zj-1", "type": "news", "region": "浙江省", "title": "全省远教工作会议"},
    {
        "id": "pol-1",
        "type": "policy",
        "region": "浙江",
        "title": "关于加强站点管理的通知",
        "doc_number": "浙组通〔2026〕7号",
        "doc_type": "notice",
        "issuer": "中共浙江省委组织部",
    },
]


def _manage(database, *args):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SEARCH_URL", "CACHE_URL", "TASKS_BACKEND", "SITE_URL"}
    }
    env.update(DATABASE_URL=f"sqlite:///{database}", SITE_URL="https://www.example.gov.cn")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.own_sqlite
def test_empty_database_to_imported_content(tmp_path):
    database = tmp_path / "site.sqlite3"
    records = tmp_path / "lessons.jsonl"
    records.write_text(
        "".join(
            json.dumps({"body": "正文", "date": "2026-03-01", **r}, ensure_ascii=False) + "\n"
            for r in RECORDS
        ),
        encoding="utf-8",
    )
    assert _manage(database, "migrate", "--noinput", "-v0").returncode == 0

    before = _manage(database, "import_content", str(records))
    assert before.returncode != 0
    assert "Traceback" not in before.stderr
    message = before.stderr.strip().splitlines()
    assert len(message) == 1 and "setup_site" in message[0], before.stderr

    first = _manage(database, "setup_site")
    assert first.returncode == 0, first.stderr
    assert "地区：102 个" in first.stdout and "https://www.example.gov.cn" in first.stdout
    again = _manage(database, "setup_site")
    assert again.returncode == 0 and "新增地区 0 个、页面 0 个" in again.stdout, again.stdout

    imported = _manage(database, "import_content", str(records))
    assert imported.returncode == 0, imported.stderr + imported.stdout
    assert f"新建 {len(RECORDS)}" in imported.stdout, imported.stdout


@pytest.mark.django_db
def test_setup_site_twice_changes_nothing():
    call_command("setup_site", stdout=io.StringIO())
    counts = lambda: (Region.objects.count(), Page.objects.count(), Group.objects.count())  # noqa: E731
    before = counts()
    call_command("setup_site", stdout=io.StringIO())
    assert counts() == before


@pytest.mark.django_db
def test_every_region_has_its_news_section_and_its_offices():
    zh = Locale.objects.get(language_code="zh-hans")
    regions = Region.objects.filter(locale=zh)
    assert regions.count() == len(region_data()) == 102
    sections = set(NewsIndexPage.objects.filter(locale=zh).values_list("region__slug", flat=True))
    assert set(regions.values_list("slug", flat=True)) <= sections
    roles = RegionRole.objects.filter(region__locale=zh)
    assert roles.count() == 2 * regions.count()
    county = NewsIndexPage.objects.get(locale=zh, region__slug="chunan")
    assert county.get_parent().specific.region.slug == "hangzhou"  # inside its city's section


@pytest.mark.django_db
def test_a_new_region_gets_what_it_needs():
    zh = Locale.objects.get(language_code="zh-hans")
    hangzhou = Region.objects.get(locale=zh, slug="hangzhou")
    Region.objects.create(
        locale=zh, name="新安县", short_name="新安", slug="xinan", level="county", parent=hangzhou
    )
    pages, groups = Page.objects.count(), Group.objects.count()
    call_command("setup_site", stdout=io.StringIO())
    assert Group.objects.filter(name__in=["新安县编辑", "新安县审核"]).count() == 2
    assert NewsIndexPage.objects.filter(locale=zh, region__slug="xinan").exists()
    assert Region.objects.filter(locale__language_code="en", slug="xinan").exists()
    assert Group.objects.count() == groups + 2
    assert Page.objects.count() == pages + 2  # its section, and the section's English alias
    # Live as a published page is: its revision the live one, nothing left to publish.
    section = NewsIndexPage.objects.get(locale=zh, region__slug="xinan")
    assert section.live and not section.has_unpublished_changes
    assert section.live_revision_id == section.latest_revision_id is not None
    assert section.first_published_at and section.last_published_at
    assert section.get_latest_revision_as_object().title == "新安动态"


@pytest.fixture
def forget_site_root_paths():
    """Wagtail caches the Site's address; a rolled-back change sends no signal to clear it."""
    yield
    Site.clear_site_root_paths_cache()


@pytest.mark.django_db
def test_setup_site_points_the_site_at_site_url(settings, forget_site_root_paths):
    settings.SITE_URL = "https://www.example.gov.cn"
    call_command("setup_site", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://www.example.gov.cn"
