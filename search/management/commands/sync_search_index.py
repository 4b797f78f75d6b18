from django.core.management.base import BaseCommand

from search.backends import replay_pending


class Command(BaseCommand):
    help = "Send index changes that failed while the search engine was down (run every minute)."

    def handle(self, *args, **options):
        done, pending = replay_pending()
        self.stdout.write(f"replayed {done} index updates, {pending} still pending")
