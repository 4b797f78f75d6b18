"""Backup and restore of a whole site (database and media), run as an operator would:
``manage.py backup_site`` and ``restore_site`` on a site of its own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.live_site import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]
# On a SQLite site of its own: tests/ops/test_backup_restore_services.py backs up PostgreSQL.
pytestmark = pytest.mark.own_sqlite

SEED = """
from pioneer.demo.loader import build_site
from tests.support.factories import make_document, make_lesson
build_site()
make_lesson("备份测试课程", slug="beifen-ceshi")
make_document("备份附件", content=b"%PDF-1.4 backup", name="backup.pdf")
"""
DAMAGE = """
from lessons.models import LessonPage
from wagtail.documents import get_document_model
LessonPage.objects.get(slug="beifen-ceshi", locale__language_code="zh-hans").delete()
for document in get_document_model().objects.filter(title="备份附件"):
    document.file.delete(save=False)
"""
CHECK = """
from lessons.models import LessonPage
from wagtail.documents import get_document_model
lesson = LessonPage.objects.get(slug="beifen-ceshi", locale__language_code="zh-hans")
document = get_document_model().objects.get(title="备份附件")
print(lesson.live, document.file.read())
"""


@pytest.fixture
def site(tmp_path):
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.pop("SEARCH_ENGINE_URL", None)

    def manage(*args, check=True):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=check,
        )

    migrated_sqlite(tmp_path / "db.sqlite3", env)
    manage("shell", "-c", SEED)
    return manage


def test_a_backup_brings_back_deleted_pages_and_files(site, tmp_path):
    made = site("backup_site", str(tmp_path / "backups"))
    backup = Path(made.stdout.strip().split("：", 1)[1])
    assert (backup / "manifest.json").is_file() and (backup / "database.sqlite3").is_file()

    site("shell", "-c", DAMAGE)
    assert "DoesNotExist" in site("shell", "-c", CHECK, check=False).stderr

    refused = site("restore_site", str(backup), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr  # asks before replacing
    site("restore_site", str(backup), "--yes")
    assert site("shell", "-c", CHECK).stdout.strip().splitlines()[-1] == "True b'%PDF-1.4 backup'"


def test_a_damaged_backup_is_refused_before_anything_changes(site, tmp_path):
    made = site("backup_site", str(tmp_path / "backups"))
    backup = Path(made.stdout.strip().split("：", 1)[1])
    victim = next(path for path in (backup / "media").rglob("*") if path.is_file())
    victim.write_bytes(b"damaged")
    refused = site("restore_site", str(backup), "--yes", check=False)
    assert refused.returncode != 0 and "damaged" in refused.stderr
    assert site("shell", "-c", CHECK).stdout.strip().splitlines()[-1] == "True b'%PDF-1.4 backup'"
