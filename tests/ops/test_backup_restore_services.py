"""The production backup, restored into an empty PostgreSQL database and an empty object
store, reproduces the site: pages, a page's revisions, a document's bytes, and image
renditions the site can still send browsers to (private objects, like everything stored).

Runs ``deploy/backup`` and ``deploy/restore`` as an operator would, against the real
PostgreSQL server of ``DATABASE_URL`` and the real S3 store of the ``deploy/local/objectstore
env`` variables (each site gets databases and buckets of its own, dropped afterwards), so
it runs in the object-store session of ``.ci/run``, which sets both.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_SERVICES = os.environ.get("MEDIA_STORAGE") == "s3" and DATABASE_URL.startswith("postgres")

if not ON_SERVICES:
    if os.environ.get("REQUIRE_OBJECT_STORE") == "1":
        raise RuntimeError(
            "REQUIRE_OBJECT_STORE=1 needs MEDIA_STORAGE=s3 and a postgres DATABASE_URL"
        )
    pytestmark = pytest.mark.skip(
        reason="needs PostgreSQL (DATABASE_URL=postgres://…) and the object store "
        "(MEDIA_STORAGE=s3 with `deploy/local/objectstore env`)"
    )

SEED = """
import io
from PIL import Image
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from pioneer.demo.loader import build_site
from tests.support.factories import make_document, make_lesson
build_site()
lesson = make_lesson("备份恢复测试课", slug="beifen-huifu")
for summary in ("第二稿摘要", "第三稿摘要"):
    lesson.summary = summary
    lesson.save_revision().publish()
make_document("备份恢复附件", content=b"%PDF-1.4 restore me", name="restore.pdf")
buffer = io.BytesIO()
Image.new("RGB", (640, 360), (30, 120, 60)).save(buffer, "PNG")
image = get_image_model().objects.create(
    title="备份恢复图片", file=ImageFile(buffer, name="restore.png")
)
image.get_rendition("fill-320x180|format-webp")
"""

DESCRIBE = """
import json
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from lessons.models import LessonPage
lesson = LessonPage.objects.get(slug="beifen-huifu", locale__language_code="zh-hans")
document = get_document_model().objects.get(title="备份恢复附件")
rendition = get_image_model().objects.get(title="备份恢复图片").renditions.get()
with document.file.open("rb") as handle:
    document_bytes = handle.read().decode()
page = Client().get(lesson.url)
print(json.dumps({
    "pages": Page.objects.count(),
    "revisions": [r.content["summary"] for r in lesson.revisions.order_by("created_at", "pk")],
    "live_summary": lesson.summary,
    "document": document_bytes,
    # Where the site's check sends a visitor allowed to see the picture (SECURITY.md).
    "rendition_url": rendition.file.storage.store_url(rendition.file.name, expire=600),
    "page_status": page.status_code,
    "page_has_title": "备份恢复测试课" in page.content.decode(),
}))
"""


def _server(url):
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))


def _s3():
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        region_name=os.environ.get("AWS_S3_REGION_NAME") or "us-east-1",
        config=Config(
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )


@pytest.fixture
def make_site():
    """A site of its own: an empty database and empty buckets, removed afterwards."""
    import psycopg

    databases, buckets = [], []
    s3 = _s3()

    def make(public_bucket):
        name = f"pioneer_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(_server(DATABASE_URL), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
        databases.append(name)
        parts = urlsplit(DATABASE_URL)
        env = dict(
            os.environ,
            DATABASE_URL=urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, "")),
        )
        for variable in ("SEARCH_URL", "SEARCH_ENGINE_URL", "AWS_PUBLIC_BUCKET_NAME"):
            env.pop(variable, None)
        private = f"restore-{uuid.uuid4().hex[:10]}"
        s3.create_bucket(Bucket=private)
        buckets.append(private)
        env["AWS_STORAGE_BUCKET_NAME"] = private
        if public_bucket:
            public = f"restore-public-{uuid.uuid4().hex[:10]}"
            s3.create_bucket(Bucket=public)
            buckets.append(public)
            env["AWS_PUBLIC_BUCKET_NAME"] = public
        return env

    yield make

    for bucket in buckets:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=bucket, Key=item["Key"])
        s3.delete_bucket(Bucket=bucket)
    with psycopg.connect(_server(DATABASE_URL), autocommit=True) as connection:
        for name in databases:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env, *command, check=True):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode:
        raise AssertionError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def describe(env):
    out = run(env, sys.executable, "manage.py", "shell", "-c", DESCRIBE).stdout
    return json.loads(out.strip().splitlines()[-1])


def public_bytes(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # anonymous, as a browser
        return response.read()


@pytest.mark.parametrize("public_bucket", [False, True], ids=["one-bucket", "public-bucket"])
def test_backup_restored_into_empty_services_reproduces_the_site(
    make_site, tmp_path, public_bucket
):
    original = make_site(public_bucket)
    run(original, sys.executable, "manage.py", "migrate", "--noinput", "-v0")
    run(original, sys.executable, "manage.py", "shell", "-c", SEED)
    before = describe(original)
    assert before["revisions"] == ["备份恢复测试课的摘要", "第二稿摘要", "第三稿摘要"]
    assert before["page_status"] == 200

    run(original, str(ROOT / "deploy" / "backup"), str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == "postgresql"
    kinds = {meta["storage"] for meta in manifest["media"].values()}
    assert kinds == {"default", "renditions"}

    empty = make_site(public_bucket)  # not even migrated
    refused = run(empty, str(ROOT / "deploy" / "restore"), str(backup), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr
    run(empty, str(ROOT / "deploy" / "restore"), str(backup), "--yes")

    after = describe(empty)
    assert after["pages"] == before["pages"]
    assert after["revisions"] == before["revisions"]
    assert after["live_summary"] == "第三稿摘要"
    assert after["document"] == "%PDF-1.4 restore me"
    assert after["page_status"] == 200 and after["page_has_title"]
    # The restored rendition is in the new store, byte for byte, and private there too.
    assert after["rendition_url"] != before["rendition_url"]  # another bucket
    assert public_bytes(after["rendition_url"]) == public_bytes(before["rendition_url"])
    unsigned = after["rendition_url"].split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused_plain:
        public_bytes(unsigned)
    assert refused_plain.value.code == 403
