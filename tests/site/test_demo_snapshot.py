"""The loaded demo a pytest process starts from, whether it loaded it or put the run's copy
in place (tests/support/demo_snapshot.py). .ci/run runs this file first, on SQLite and on PostgreSQL
side by side, so the copy for each database exists before the suite's passes start."""

import pytest
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from tests.support import demo_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_the_demo_is_in_the_database_with_its_files():
    assert Page.objects.filter(depth__gt=2).count() > 50
    images, documents = get_image_model().objects.all(), get_document_model().objects.all()
    assert images.exists() and documents.exists()
    missing = [
        f.file.name for f in [*images, *documents] if not default_storage.exists(f.file.name)
    ]
    assert not missing, missing


def test_a_run_keeps_one_complete_copy_per_database():
    folder = demo_snapshot.snapshot_folder("demo")
    if folder is None:
        pytest.skip(f"{demo_snapshot.VARIABLE} is not set (outside .ci/run) or media is not local")
    assert (folder / "complete").exists()
    assert (folder / "serialized.json").stat().st_size > 0
    assert (folder / "default").is_dir()
