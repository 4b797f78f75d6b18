"""``manage.py load_synonyms [FILE.jsonl …]``: the synonym groups the site ships with
(search/data/synonyms/), or the files named, into 设置 → 同义词. Run by ``setup_site``;
running it again updates the shipped groups and leaves those editors changed alone."""

from django.core.management.base import BaseCommand, CommandError

from search import synonym_data


class Command(BaseCommand):
    help = "Load the shipped synonym groups (search/data/synonyms/*.jsonl) or the given files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")

    def handle(self, *args, files=(), **options):
        try:
            created, updated, kept = synonym_data.load(files or None)
        except (synonym_data.BadLine, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"synonym groups: {created} created, {updated} updated, "
            f"{kept} kept as editors left them"
        )
