"""The periodic commands run once across app servers (pioneer.core.locks): on PostgreSQL
the second of two concurrent runs skips (run with DATABASE_URL=postgres://…, as CI's
PostgreSQL pass does); on SQLite, one server only, the lock is no lock."""

import importlib
import logging
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from pioneer.core.locks import single_run

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs when the suite runs on PostgreSQL"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")

# Each periodic command deploy/ runs on every server, and the class it guards.
PERIODIC = {
    "publish_scheduled": "wagtail.management.commands.publish_scheduled:Command",
    "sync_search_index": "search.management.commands.sync_search_index:Command",
    "clean_import_uploads": "pioneer.management.commands.clean_import_uploads:CleanImportUploads",
    "purge_message_phones": "station_messages.management.commands.purge_message_phones:Command",
    "recover_stale_tasks": "pioneer.management.commands.recover_stale_tasks:RecoverStaleTasks",
}


@pytest.fixture
def runs(monkeypatch):
    """The guarded commands' own work replaced by a note of its name (and a pause, so two
    runs overlap)."""
    done = []
    for name, target in PERIODIC.items():
        module, cls = target.split(":")
        guarded = getattr(importlib.import_module(module), cls)

        def handle(self, *args, _name=name, **options):
            time.sleep(0.5)
            done.append(_name)

        monkeypatch.setattr(guarded, "handle", handle)
    return done


@on_sqlite
def test_on_sqlite_every_run_runs():
    with single_run("publish_scheduled") as first, single_run("publish_scheduled") as second:
        assert first and second


@on_sqlite
@pytest.mark.parametrize("name", sorted(PERIODIC))
def test_on_sqlite_the_periodic_commands_run(name, runs):
    call_command(name)
    assert runs == [name]


@on_postgresql
def test_the_second_holder_skips_until_the_first_lets_go(caplog):
    caplog.set_level(logging.INFO, logger="pioneer.core.locks")
    with single_run("publish_scheduled") as first:
        assert first
        with single_run("publish_scheduled") as second:
            assert not second
        with single_run("sync_search_index") as other:
            assert other  # another job's lock is another lock
    assert "publish_scheduled is already running on another server: this run skipped" in (
        caplog.text
    )
    with single_run("publish_scheduled") as again:
        assert again


@on_postgresql
@pytest.mark.parametrize("name", sorted(PERIODIC))
def test_a_periodic_command_skips_while_another_server_runs_it(name, runs, caplog):
    caplog.set_level(logging.INFO, logger="pioneer.core.locks")
    with single_run(name) as held:  # another server's run, in its own session
        assert held
        call_command(name)
    assert runs == []
    assert f"{name} is already running on another server" in caplog.text
    call_command(name)
    assert runs == [name]


@on_postgresql
def test_two_concurrent_runs_do_the_work_once(runs):
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            call_command("publish_scheduled")
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert runs == ["publish_scheduled"]
