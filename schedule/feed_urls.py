"""The schedule's feeds under /feeds/<language>/schedule/ (``schedule.feeds``)."""

from django.urls import path

from schedule import feeds

urlpatterns = [
    path("<slug:channel>.ics", feeds.ics, name="schedule_ics"),
    path("<slug:channel>.xml", feeds.xmltv, name="schedule_xmltv"),
    path("<slug:channel>/rss.xml", feeds.rss, name="schedule_rss"),
    path("<slug:channel>/atom.xml", feeds.atom, name="schedule_atom"),
    path("<slug:channel>/today.txt", feeds.today_text, name="schedule_today_text"),
]
