"""The loaded demo (or the bare structure), kept for the other pytest processes of one CI run.

Every pytest process (each xdist worker, each of .ci/run's phases) loads the demo into its
test database, 50-80 s each on CI's two cores. When ``PIONEER_DEMO_SNAPSHOT`` names a
folder (.ci/run makes a fresh one per run and removes it at the end, so a snapshot never
outlives the code that loaded it), the first process to take the folder's lock loads the
demo and keeps a copy of what loading wrote: the test database (SQLite: a file made with
sqlite3's backup API; PostgreSQL: a template database) and the media and import-upload
folders. The other processes wait on the lock and put that copy in place of loading; one
that starts once the copy exists skips the migrations too (30-40 s): Django makes its
test tables straight from the models (the test setting MIGRATE=False) and the copy then
replaces them, and the serialized state for ``serialized_rollback`` is the loader's,
taken after its migrations.
Without the variable, or with media on the object store (the copy covers local folders
only), every process loads the demo itself. How ``load_demo`` works inside plays no part.
A session holds the demo or only the structure ``setup_site()`` makes (tests/conftest.py,
``site_content``): each content has its own copy, ``<folder>/<database>/<content>``, and on
PostgreSQL its own template database.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

VARIABLE = "PIONEER_DEMO_SNAPSHOT"


CONTENTS = ("demo", "structure")


def snapshot_folder(content):
    """This run's snapshot folder for this database server and content ("demo" or
    "structure"), or None without one."""
    if content not in CONTENTS:
        raise ValueError(content)
    root = os.environ.get(VARIABLE)
    kind = _database_kind()
    if not root or kind is None or _local_folders() is None:
        return None
    return Path(root) / kind / content


def skip_migrations(content):
    """Before pytest-django makes the test database: if the copy is there already, make
    the tables from the models instead of migrating (the copy replaces them)."""
    from django.db import connection

    snapshot = snapshot_folder(content)
    if snapshot is not None and (snapshot / "complete").exists():
        _migrate_setting.append(connection.settings_dict["TEST"].get("MIGRATE", True))
        connection.settings_dict["TEST"]["MIGRATE"] = False


_migrate_setting = []


def load_once(content, load):
    """Load the content (``load()``) into the test database, or put the run's copy of it."""
    from django.db import connection

    if _migrate_setting:  # the test database is made: the setting as it was
        connection.settings_dict["TEST"]["MIGRATE"] = _migrate_setting.pop()
    snapshot = snapshot_folder(content)
    folders = _local_folders()
    if snapshot is None:
        load()
        return
    snapshot.mkdir(parents=True, exist_ok=True)
    with open(snapshot / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if (snapshot / "complete").exists():
            _restore(snapshot, folders)
        else:
            serialized = getattr(connection, "_test_serialized_contents", None)
            if serialized is None:
                serialized = connection.creation.serialize_db_to_string()
            (snapshot / "serialized.json").write_text(serialized, encoding="utf-8")
            load()
            _save(snapshot, folders)
            (snapshot / "complete").touch()


def _local_folders():
    """{name: folder} of the storages loading writes to, or None if any is not local."""
    from django.conf import settings
    from django.core.files.storage import FileSystemStorage, storages

    folders = {}
    for name in ("default", "imports"):
        storage = storages[name]
        if not isinstance(storage, FileSystemStorage):
            return None
        folders[name] = Path(storage.location)
    if folders["default"] != Path(settings.MEDIA_ROOT):
        return None
    return folders


def _database_kind():
    """The snapshot's name for this database server, or None if it cannot keep one."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        key = "{HOST}:{PORT}".format(**connection.settings_dict)
        return "postgresql-" + hashlib.sha1(key.encode()).hexdigest()[:10]
    return None


def _template_name(snapshot):
    # Unique to this run's folder (and content): a cluster kept between runs never serves an
    # old copy.
    prefix = "pioneer_demo_" if snapshot.name == "demo" else "pioneer_site_"
    return prefix + hashlib.sha1(str(snapshot.resolve()).encode()).hexdigest()[:16]


def _server(settings_dict):
    """An autocommit connection to the server's maintenance database (CREATE DATABASE
    runs outside transactions and not connected to the database it copies)."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


def _save(snapshot, folders):
    from django.db import connection, connections

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(snapshot / "db.sqlite3")
        connection.connection.backup(copy)
        copy.close()
    else:
        # PostgreSQL copies a database only while nobody is connected to it.
        connections.close_all()
        from psycopg import sql

        template = sql.Identifier(_template_name(snapshot))
        with _server(connection.settings_dict) as server:
            # Left by a process that failed before its copy was complete, if any.
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(template))
            server.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    template, sql.Identifier(connection.settings_dict["NAME"])
                )
            )
    for name, folder in folders.items():
        shutil.rmtree(snapshot / name, ignore_errors=True)  # idem
        shutil.copytree(folder, snapshot / name, symlinks=True)


def _restore(snapshot, folders):
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.db import connection, connections

    from pioneer.caching import generation

    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(snapshot / "db.sqlite3")
        copy.backup(connection.connection)
        copy.close()
    else:
        # This process's test database, migrated by pytest-django, made anew from the copy.
        connections.close_all()
        from psycopg import sql

        name = sql.Identifier(connection.settings_dict["NAME"])
        with _server(connection.settings_dict) as server:
            server.execute(sql.SQL("DROP DATABASE {}").format(name))
            server.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    name, sql.Identifier(_template_name(snapshot))
                )
            )
    for name, folder in folders.items():
        shutil.copytree(snapshot / name, folder, symlinks=True, dirs_exist_ok=True)
    if hasattr(connection, "_test_serialized_contents"):  # pytest-django asked for it
        connection._test_serialized_contents = (snapshot / "serialized.json").read_text(
            encoding="utf-8"
        )
    # What this process cached about its database before the copy replaced it.
    ContentType.objects.clear_cache()
    cache.clear()
    generation.forget()
