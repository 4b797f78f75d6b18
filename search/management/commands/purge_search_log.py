from django.core.management.base import BaseCommand

from search import query_log


class Command(BaseCommand):
    help = (
        "Delete search log rows older than SEARCH_LOG_DAYS (sync_search_index does it too, "
        "every minute); --days keeps fewer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            from django.core.management.base import CommandError

            raise CommandError("--days must be at least 1")
        deleted = query_log.purge(days)
        self.stdout.write(f"deleted {deleted} search log rows")
