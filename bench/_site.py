"""Start Django on a throw-away database filled by ``load_demo``, for benchmarks.

The database is a SQLite file in a temporary folder, or, given a ``postgres://`` URL
(``--database-url``), a new database created on that server for this run and dropped at
exit; the URL's own database is only used to connect and is left alone.
"""

import atexit
import os
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def add_database_argument(parser):
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://user:pw@host:port/db: measure on a throw-away database on that "
        "server (the role needs CREATEDB) instead of SQLite",
    )


def _throwaway_postgres(url):
    """A fresh database on the server of ``url``, dropped when the benchmark ends."""
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(f"--database-url: only postgres:// URLs are supported, not {parts.scheme}://")
    name = f"pioneer_bench_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(("postgresql", parts.netloc, parts.path or "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    atexit.register(drop)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def demo_site(extra_env=None, database_url=""):
    """Configure settings for a fresh demo database and media folder, then load the demo."""
    workdir = Path(tempfile.mkdtemp(prefix="pioneer-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")
    if database_url:
        os.environ["DATABASE_URL"] = _throwaway_postgres(database_url)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "false"  # measure what learners get, not debug pages
    os.environ.update(extra_env or {})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    return workdir
