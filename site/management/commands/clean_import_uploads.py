from django.core.management.base import BaseCommand

from pioneer.import_jobs import clean_import_uploads


class Command(BaseCommand):
    help = (
        "Delete import uploads no job may still read (run, failed, or left unconfirmed "
        "past IMPORT_UPLOAD_RETENTION_HOURS). deploy/ runs it every hour."
    )

    def handle(self, *args, **options):
        removed = clean_import_uploads()
        if options["verbosity"] > 1:
            self.stdout.write(f"{removed} import upload(s) deleted")
