"""Blanks the phone numbers of messages older than ``STATION_MESSAGE_PHONE_DAYS`` (the
retention the form's privacy notice promises). Run daily by
deploy/systemd/pioneer-purge-message-phones.timer (or deploy/cron/pioneer)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from station_messages.models import StationMessage


class Command(BaseCommand):
    help = "Blank the phone numbers of station messages older than STATION_MESSAGE_PHONE_DAYS."

    def handle(self, *args, **options):
        now = timezone.now()
        count = StationMessage.objects.phones_due(now).update(phone="", phone_removed_at=now)
        days = settings.STATION_MESSAGE_PHONE_DAYS
        if options["verbosity"] > 0:
            self.stdout.write(f"{count} phone number(s) older than {days} days removed.")
