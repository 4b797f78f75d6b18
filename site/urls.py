import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from notices import urls as notice_urls
from pioneer.core import sitemap
from pioneer.http import media, ratelimit, views
from pioneer.ops import health
from pioneer.partners import feeds, guide
from pioneer.partners import widget as embed
from pioneer.partners.api import api_router
from search import views as search_views

# An outage of the database or the media storage answers 503 with a friendly page.
handler500 = "pioneer.ops.unavailable.server_error"

_feeds = [
    path("<slug:kind>/rss.xml", feeds.rss_feed, name="feed_rss"),
    path("<slug:kind>/atom.xml", feeds.atom_feed, name="feed_atom"),
    path("<slug:kind>/<slug:key>/rss.xml", feeds.rss_feed, name="feed_rss"),
    path("<slug:kind>/<slug:key>/atom.xml", feeds.atom_feed, name="feed_atom"),
]

_IMAGE_FILE = r"(?P<name>(?:original_images|images)/.+)"
_MEDIA_PREFIX = re.escape(settings.MEDIA_URL.lstrip("/"))

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("feeds/<str:language>/notices/", include(notice_urls.feed_patterns)),
    path("feeds/<str:language>/schedule/", include("schedule.feed_urls")),
    path("feeds/<str:locale>/", include(_feeds)),
    path("", include(notice_urls)),
    path("api/search/", search_views.api_search, name="api_search"),
    path("api/search/suggest/", search_views.api_suggest, name="api_suggest"),
    path("embed/lessons/", embed.embed_lessons, name="embed_lessons"),
    path("api/v2/", api_router.urls),
    # Wagtail's own views behind the limits on password guessing (pioneer.http.ratelimit).
    path("admin/login/", ratelimit.admin_login),
    path("admin/password_reset/", ratelimit.password_reset),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's pattern takes any number of digits, but past 64 bits the database cannot
    # compare them (an OverflowError, a 500): such an id names no document.
    re_path(r"^documents/[0-9]{19,}/", views.not_found),
    # Wagtail's document view as the site runs it (pioneer.http.media: the one rule of
    # who may download, byte ranges, private caching); first, so it is the one served.
    re_path(r"^documents/(\d+)/(.*)$", media.serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    # Images under the one rule of pioneer.core.media_privacy: nginx asks the check (its
    # auth_request) and sends the file; without nginx the site sends it.
    re_path(rf"^_media_check/media/{_IMAGE_FILE}$", media.media_check),
    re_path(rf"^{_MEDIA_PREFIX}{_IMAGE_FILE}$", media.serve_image_file),
    # Documents only through the view above, never by their file path (DEBUG's media
    # route below would serve them; nginx refuses the folder too).
    re_path(rf"^{_MEDIA_PREFIX}documents/", views.not_found),
    path("mode/", views.set_display_mode, name="display_mode"),
    path("mode/region/", views.set_region, name="set_region"),
    # An index of the sections' files, each of at most SITEMAP_LIMIT pages (pioneer.core.sitemap).
    path("sitemap.xml", sitemap.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap.section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Learner-facing pages carry their language in the URL: /zh-hans/… and /en/…; the bare
# root redirects by the browser's language, Chinese when it names neither.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/seen/", search_views.search_seen, name="search_seen"),
    path("search/open/<int:page_id>/", search_views.search_open, name="search_open"),
    path("embed/", embed.embed_builder, name="embed_builder"),
    path("partners/", guide.partners, name="partners"),
    path("region/", views.choose_region, name="choose_region"),
    # Wagtail's front-end login and page-password form, behind the same limits.
    path("_util/login/", ratelimit.frontend_login),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        ratelimit.page_password,
    ),
    path("messages/", include("station_messages.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
