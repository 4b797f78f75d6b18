"""Fails background tasks left RUNNING by a lost worker so that they are retried
(pioneer.ops.task_retry.recover_stale_tasks). Run every 5 minutes by
deploy/systemd/pioneer-recover-tasks.timer (or deploy/cron/pioneer), once across servers."""

from django.core.management.base import BaseCommand

from pioneer.core.locks import run_once
from pioneer.ops.task_retry import recover_stale_tasks


class RecoverStaleTasks(BaseCommand):
    help = (
        "Mark background tasks running for longer than TASK_STALE_AFTER seconds as failed "
        "(their worker was lost), so that they are retried."
    )

    def handle(self, *args, **options):
        recovered = recover_stale_tasks()
        if options["verbosity"] > 1 or recovered:
            self.stdout.write(f"{recovered} lost task(s) marked failed")


Command = run_once(RecoverStaleTasks, "recover_stale_tasks")
