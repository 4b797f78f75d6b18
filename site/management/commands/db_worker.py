"""django-tasks' database worker, made to wait out a database outage instead of dying
(the worker class is pioneer.ops.worker.ResilientWorker)."""

from django_tasks_db.management.commands import db_worker as upstream

from pioneer import compat
from pioneer.ops.worker import ResilientWorker


class Command(upstream.Command):
    help = upstream.Command.help + " that survives database outages"

    def handle(self, **options):
        compat.run_db_worker(self, ResilientWorker, options)
