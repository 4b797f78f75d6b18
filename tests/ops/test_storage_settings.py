"""MEDIA_STORAGE=s3 and CACHE_URL=redis:// read from the environment into the storages,
caches and sessions the site runs on (checked in a fresh process, as settings load once)."""

import json
import os
import subprocess
import sys

from tests.support.storage import ROOT, S3_ENV

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
from wagtail.images.models import get_rendition_storage
private, public = storages["default"], get_rendition_storage()
config = private.client_config
print(json.dumps({
    "private": [type(private).__name__, private.bucket_name, private.querystring_auth,
                private.custom_domain, private.default_acl,
                private.url("documents/a.pdf")],
    "public": [public.bucket_name, public.querystring_auth, public.default_acl,
               public.url("images/a.webp"), public.store_url("images/a.webp", expire=60)],
    "config": [config.signature_version, config.s3["addressing_style"],
               config.request_checksum_calculation],
    "docs": settings.WAGTAILDOCS_SERVE_METHOD,
    # What Wagtail's file-delete task carries: it must serialise as JSON.
    "deconstructed": [json.dumps(storages[name].deconstruct()) and name
                      for name in ("default", "renditions", "imports")],
    "cache": settings.CACHES["default"]["BACKEND"],
    "session": settings.SESSION_ENGINE,
}))
"""


def probe(extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "S3_", "MEDIA_S"))}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="pioneer.settings")
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_s3_documents_and_renditions_private_and_signed():
    found = probe(S3_ENV)
    kind, bucket, signed, domain, acl, url = found["private"]
    assert (kind, bucket, signed, domain, acl) == ("ConfiguredS3Storage", "media", True, None, None)
    # Path-style on the custom endpoint, signed with SigV4.
    assert url.startswith("http://127.0.0.1:9000/media/documents/a.pdf?")
    assert "X-Amz-Signature=" in url and "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url
    # Renditions: private objects too; pages link the site's checked path, which
    # redirects to a signed URL of the store (no custom domain: it could not be signed).
    bucket, signed, acl, url, store_url = found["public"]
    assert (bucket, signed, acl) == ("media", True, None)
    assert url == "/media/images/a.webp"
    assert store_url.startswith("http://127.0.0.1:9000/media/images/a.webp?")
    assert "X-Amz-Signature=" in store_url and "X-Amz-Expires=60" in store_url
    assert found["config"] == ["s3v4", "path", "when_required"]
    assert found["docs"] == "redirect"
    # A delete of an image or document on S3 queues Wagtail's task with the storage's
    # options; a client configuration object there made every delete fail.
    assert found["deconstructed"] == ["default", "renditions", "imports"]


def test_redis_cache_url_gives_resilient_cache_and_cached_db_sessions():
    found = probe(S3_ENV)
    assert found["cache"] == "pioneer.cache.ResilientRedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cached_db"


def test_renditions_bucket_can_be_changed():
    found = probe({**S3_ENV, "AWS_PUBLIC_BUCKET_NAME": "public"})
    assert found["public"][:3] == ["public", True, None]
