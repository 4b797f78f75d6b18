from django.core.management.base import BaseCommand

from pioneer.core.locks import run_once
from pioneer.import_jobs import clean_import_uploads


class CleanImportUploads(BaseCommand):
    help = (
        "Delete import uploads no job may still read (run, failed, or left unconfirmed "
        "past IMPORT_UPLOAD_RETENTION_HOURS). deploy/ runs it every hour."
    )

    def handle(self, *args, **options):
        removed = clean_import_uploads()
        if options["verbosity"] > 1:
            self.stdout.write(f"{removed} import upload(s) deleted")


# Every app server's timer starts it: one run at a time (pioneer.core.locks).
Command = run_once(CleanImportUploads, "clean_import_uploads")
