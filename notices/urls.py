"""The notices' addresses outside the page tree (``pioneer.urls`` includes each list)."""

from django.urls import path, re_path

from notices import views

# Under /feeds/<language>/notices/, before the site's other feeds.
feed_patterns = [
    path("rss.xml", views.rss, name="notice_rss"),
    path("atom.xml", views.atom, name="notice_atom"),
    # Up to 18 digits: past 64 bits the database cannot compare an id (an OverflowError).
    re_path(r"^cap/(?P<pk>[0-9]{1,18})\.xml$", views.cap, name="notice_cap"),
    path("<slug:key>/rss.xml", views.rss, name="notice_rss"),
    path("<slug:key>/atom.xml", views.atom, name="notice_atom"),
]

urlpatterns = [
    path("_notices/<slug:language>/<slug:region>/", views.banner, name="notice_banner"),
    path("api/notices/", views.api_notices, name="api_notices"),
]
