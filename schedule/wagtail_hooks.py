"""The schedule in the admin: channels and slots as snippets kept by their office, the week
at a glance, and the upload of a broadcast platform's file (``import_admin``)."""

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from schedule import import_admin  # noqa: F401  (its hooks register on import)
from schedule.admin import ScheduleGroup, week_view

register_snippet(ScheduleGroup)


@hooks.register("register_admin_urls")
def schedule_admin_urls():
    return [path("schedule/week/", week_view, name="schedule_week")]
