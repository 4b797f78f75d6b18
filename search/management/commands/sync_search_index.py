from django.core.management.base import BaseCommand

from search import query_log
from search.backends import replay_pending


class Command(BaseCommand):
    help = (
        "Send index changes that failed while the search engine was down, and delete search "
        "log rows older than SEARCH_LOG_DAYS (run every minute)."
    )

    def handle(self, *args, **options):
        done, pending = replay_pending()
        self.stdout.write(f"replayed {done} index updates, {pending} still pending")
        # The search app's periodic command already runs everywhere (systemd, cron, the
        # containers' loop): one indexed DELETE a minute keeps the log to its days.
        deleted = query_log.purge()
        if deleted:
            self.stdout.write(f"deleted {deleted} search log rows")
