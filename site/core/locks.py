"""One run at a time across every app server, for the periodic commands.

Each server runs the same timers (publish_scheduled every minute, sync_search_index, the
hourly and daily clean-ups): with two servers both runs start at once and do the same work
twice, racing each other. ``single_run(name)`` takes a PostgreSQL session advisory lock
named after the job on a connection of its own, so the command's own connection may close
and reconnect without dropping it; whoever comes second skips, saying so in the log. The
lock goes when the block ends, or when its connection does (a killed process never leaves
it behind).

On SQLite there is only one server (the database is a local file) and systemd's timers or
cron's ``flock`` already keep one run at a time: the block runs, unguarded.

Advisory locks are per session: behind PgBouncer in transaction mode they do not hold,
so the periodic commands need a direct (or session-mode) DATABASE_URL.
"""

import logging
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# The first key of the two-key advisory lock: the site's locks apart from any other
# program's on the same database (b"pion" as an integer).
NAMESPACE = 0x70696F6E


@contextmanager
def single_run(name, using=DEFAULT_DB_ALIAS):
    """Yields True when this process holds ``name``'s lock for the block, False when another
    run holds it (the caller skips its work)."""
    if connections[using].vendor != "postgresql":
        yield True
        return
    connection = connections.create_connection(using)  # the lock's own session
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [NAMESPACE, name])
            held = cursor.fetchone()[0]
        if not held:
            logger.info("%s is already running on another server: this run skipped", name)
            yield False
            return
        try:
            yield True
        finally:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [NAMESPACE, name])
            except Exception as error:  # closing the session below releases it as well
                logger.warning("Could not release the lock of %s: %s", name, error)
    finally:
        connection.close()


def run_once(command_class, name):
    """``command_class`` (a management command) with its ``handle`` under
    ``single_run(name)``: the second of two concurrent runs returns at once."""

    class Command(command_class):
        def handle(self, *args, **options):
            with single_run(name) as held:
                return super().handle(*args, **options) if held else None

    return Command
