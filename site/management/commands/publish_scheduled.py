"""Wagtail's ``publish_scheduled``, run by one server at a time: every app server's timer
starts it each minute (pioneer.core.locks)."""

from wagtail.management.commands import publish_scheduled as upstream

from pioneer.core.locks import run_once

Command = run_once(upstream.Command, "publish_scheduled")
