"""manage.py purge_message_phones: phone numbers older than STATION_MESSAGE_PHONE_DAYS are
blanked (the message and its reply stay); recent ones are kept."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.station_messages.conftest import make_message

pytestmark = pytest.mark.django_db


def test_old_phone_numbers_are_blanked_and_recent_ones_kept(settings):
    settings.STATION_MESSAGE_PHONE_DAYS = 30
    now = timezone.now()
    old = make_message(created_at=now - datetime.timedelta(days=31), reply="已答复。")
    recent = make_message(created_at=now - datetime.timedelta(days=29))
    call_command("purge_message_phones", verbosity=0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.phone == "" and old.phone_removed_at is not None
    assert old.text and old.reply == "已答复。"
    assert recent.phone == "13800000000" and recent.phone_removed_at is None


def test_a_second_run_changes_nothing(settings):
    settings.STATION_MESSAGE_PHONE_DAYS = 30
    old = make_message(created_at=timezone.now() - datetime.timedelta(days=40))
    call_command("purge_message_phones", verbosity=0)
    old.refresh_from_db()
    removed = old.phone_removed_at
    call_command("purge_message_phones", verbosity=0)
    old.refresh_from_db()
    assert old.phone_removed_at == removed


def test_the_deploy_files_run_it(settings):
    from pathlib import Path

    deploy = Path(settings.BASE_DIR) / "deploy"
    assert "manage.py purge_message_phones" in (deploy / "cron" / "pioneer").read_text()
    service = (deploy / "systemd" / "pioneer-purge-message-phones.service").read_text()
    assert "ExecStart=/srv/pioneer/.venv/bin/python manage.py purge_message_phones" in service
    timer = (deploy / "systemd" / "pioneer-purge-message-phones.timer").read_text()
    assert "Unit=pioneer-purge-message-phones.service" in timer
