"""The station messages' ``purge_message_phones``, run by one server at a time: every app
server's timer starts it each day (pioneer.core.locks)."""

from pioneer.core.locks import run_once
from station_messages.management.commands import purge_message_phones as upstream

Command = run_once(upstream.Command, "purge_message_phones")
