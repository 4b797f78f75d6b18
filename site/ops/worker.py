"""django-tasks' database worker, made to wait out a database outage instead of dying.

The upstream worker lets an ``OperationalError`` (the database restarting, a dropped
connection) end its loop: the process exits, or with the autoreloader stays alive doing
nothing, and purges and index updates stop until someone restarts it. This worker
closes its connections, waits (1 s, doubling up to 30 s) and carries on, so it picks
up the queue again as soon as the database answers.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker as upstream

logger = logging.getLogger("django_tasks_db")

FIRST_WAIT, LONGEST_WAIT = 1.0, 30.0


class ResilientWorker(upstream.Worker):
    def run(self):
        wait = FIRST_WAIT
        while self.running:
            started = time.monotonic()
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > LONGEST_WAIT:
                    wait = FIRST_WAIT  # it had recovered since the last outage
                logger.warning("database unavailable, trying again in %.0f s: %s", wait, error)
                try:
                    close_old_connections()  # drops the broken connection
                except (OperationalError, InterfaceError):
                    pass
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT)
