"""The search app's ``sync_search_index``, run by one server at a time: every app server's
timer starts it each minute (pioneer.core.locks)."""

from pioneer.core.locks import run_once
from search.management.commands import sync_search_index as upstream

Command = run_once(upstream.Command, "sync_search_index")
