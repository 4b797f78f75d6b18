"""Backups of the database and the media (uploads), and restoring them.

One format whatever the configuration: ``<dir>/database.*`` (``pg_dump`` custom format
for PostgreSQL, an SQLite copy made with SQLite's online backup for the embedded
database), ``<dir>/media/`` (every file of the media storage, local or S3, copied
through Django's storage API) and ``<dir>/manifest.json`` (what is there, with sizes and
SHA-256, checked before a restore touches anything).

Image renditions live in a storage of their own on S3 (public objects, possibly another
bucket): the manifest says which storage each file came from, so a restore writes it back
through the same one, public again, and nothing is missing when that is another bucket.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import get_rendition_storage


class BackupError(Exception):
    pass


def _walk(storage, prefix=""):
    directories, files = storage.listdir(prefix)
    for name in files:
        yield f"{prefix}{name}"
    for directory in directories:
        yield from _walk(storage, f"{prefix}{directory}/")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env(settings_dict):
    env = dict(os.environ, PGPASSWORD=str(settings_dict.get("PASSWORD") or ""))
    args = ["-h", str(settings_dict.get("HOST") or "localhost")]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    return env, args


def backup_database(target):
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = target / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return path
    if connection.vendor == "postgresql":
        path = target / "database.pgdump"
        env, args = _pg_env(settings_dict)
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", *args, "-f", str(path), settings_dict["NAME"]],
            env=env,
            check=True,
        )
        return path
    raise BackupError(f"no backup for the {connection.vendor} database")


BACKUP_FOLDERS = {"default": "media", "renditions": "renditions"}  # storage -> folder


def _storage(kind):
    return get_rendition_storage() if kind == "renditions" else default_storage


def _rendition_names():
    return set(get_image_model().get_rendition_model().objects.values_list("file", flat=True))


def _media_files():
    """(storage kind, name) of every file to keep: the media storage's, and renditions
    from wherever they are stored."""
    renditions = _rendition_names()
    for name in _walk(default_storage):
        yield ("renditions" if name in renditions else "default"), name
        renditions.discard(name)
    storage = get_rendition_storage()
    for name in sorted(renditions):  # in a storage of their own (e.g. a public bucket)
        if storage.exists(name):
            yield "renditions", name


def backup(directory):
    """Write a backup into a new folder under ``directory``; return its path."""
    target = Path(directory) / timezone.now().strftime("pioneer-%Y%m%d-%H%M%S")
    (target / "media").mkdir(parents=True)
    database = backup_database(target)
    files = {}
    for kind, name in _media_files():
        destination = target / BACKUP_FOLDERS[kind] / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with _storage(kind).open(name, "rb") as source, open(destination, "wb") as out:
            shutil.copyfileobj(source, out)
        files[name] = {
            "size": destination.stat().st_size,
            "sha256": _sha256(destination),
            "storage": kind,
        }
    manifest = {
        "created": timezone.now().isoformat(),
        "database": {
            "file": database.name,
            "vendor": connection.vendor,
            "sha256": _sha256(database),
        },
        "media": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return target


def _backed_up_file(source, name, meta):
    """Where the backup keeps ``name``; a manifest pointing anywhere else is refused."""
    if not isinstance(meta, dict):
        raise BackupError(f"the manifest entry of {name!r} is not readable")
    folder = BACKUP_FOLDERS.get(meta.get("storage", "default"))
    parts = Path(name).parts
    if folder is None or not parts or Path(name).is_absolute() or ".." in parts:
        raise BackupError(f"the manifest names an unexpected file: {name!r}")
    return source / folder / name


def verify(source):
    """The manifest of the backup in ``source``, after checking every file against it."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
        manifest["database"]["file"], manifest["database"]["vendor"], manifest["media"].items()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{source} holds no readable manifest.json: {error}") from error
    if Path(str(manifest["database"]["file"])).name != manifest["database"]["file"]:
        raise BackupError("the manifest names an unexpected database file")
    database = source / manifest["database"]["file"]
    if not database.is_file() or _sha256(database) != manifest["database"].get("sha256"):
        raise BackupError(f"{database} is missing or damaged")
    for name, meta in manifest["media"].items():
        path = _backed_up_file(source, name, meta)
        if not path.is_file() or _sha256(path) != meta.get("sha256"):
            raise BackupError(f"media file {name} is missing or damaged in the backup")
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"the backup is of a {manifest['database']['vendor']} database, "
            f"this site runs on {connection.vendor}"
        )
    return manifest


def restore(source):
    """Replace the database and add back every media file of the backup in ``source``."""
    source = Path(source)
    manifest = verify(source)  # nothing is touched unless the whole backup is sound
    database = source / manifest["database"]["file"]
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(database) as backup_copy:
            backup_copy.backup(connection.connection)
    else:
        connection.close()
        env, args = _pg_env(settings_dict)
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "-d",
                settings_dict["NAME"],
                str(database),
            ],
            env=env,
            check=True,
        )
    for name, meta in manifest["media"].items():
        storage = _storage(meta.get("storage", "default"))
        if storage.exists(name):
            storage.delete(name)
        with open(_backed_up_file(source, name, meta), "rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"the storage renamed {name} to {saved}")
    return manifest
