"""Storage settings as the environment gives them, for tests that read them in a fresh
process (settings load once): the object store's variables, and the checkout to run in."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "media",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_S3_CUSTOM_DOMAIN": "img.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}
