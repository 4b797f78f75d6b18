"""What nginx caches (deploy/nginx/pioneer.conf), stated once on the Python side.

The site notes what to purge, marks what no purge can reach and answers revalidations
according to these; tests/caching/test_nginx_and_site_agree.py reads the nginx template and fails
when the two disagree.
"""

import re

# Search results and API answers: cached in a zone of their own, which no page's purge
# names (the site notes each one, ``answers``).
ANSWER_PATHS = re.compile(r"^/(api|[a-z-]+/search)(/|$)")
# Never cached: the admin (and previews), health, display switches, document downloads.
NEVER_CACHED = re.compile(r"^/(admin|healthz|mode|documents)(/|$)")
# The search log's counters (the search page's image, its result links' pings) under the
# search path: never cached, each request counts (search.views.search_seen, search_open).
SEARCH_COUNTERS = re.compile(r"^/[a-z-]+/search/(seen|open)/")
# What nginx caches as pages besides these two: every other path. Search and the API get no
# generation ETag (search answers also change when the engine's index catches up, after the
# generation has moved; the API has its own).
NOT_PAGES = re.compile(r"^/(admin|api|healthz|mode|documents|[a-z-]+/search)(/|$)")
# Answers that change with the clock, not only with what is published: the urgent notices
# (a notice starts and ends by itself), their include, feeds and pages, and the widget
# that shows them; the broadcast schedule (what is on now) and its feeds. They say how
# long they may be kept (Cache-Control) and get no generation ETag, whose 304 would keep
# an ended notice or a past programme in nginx's copy.
TIMED = re.compile(
    r"^/(_notices/|embed/|feeds/[a-z-]+/(notices|schedule)/|[a-z-]+/(notices|schedule)(/|$))"
)
# The learner's chosen region (pioneer.core.my_region.COOKIE): nginx keeps the home page's
# copies per region (deploy/nginx), so the generation ETag names the region too.
REGION_COOKIE = "region"
# The shape nginx accepts as the cookie's region (its $pioneer_region map); anything else
# counts as no choice.
REGION_SLUG = re.compile(r"[a-z0-9-]{1,50}")
# The region nginx read from the cookie and keys its copy by ("-": none), sent with every
# request it passes on. nginx takes a repeated cookie's first value and Django its last,
# so behind nginx the site follows this header: what it renders for a region is then
# always what nginx keeps under that region's key, never another region's page kept for
# everyone.
REGION_HEADER = "HTTP_X_PIONEER_REGION"
# The header nginx sets on requests whose answers go through its SSI filter (the notices'
# include): their pages carry the include, not the notices. nginx does so for learners who
# chose a region (one copy of a page for all regions, each filled with its own notices)
# and for search results; the others' pages carry the province's notices themselves and
# are sent from the cache as they are (``generation_etag`` names the notices in force).
SSI_HEADER = "HTTP_X_PIONEER_SSI"
# The home page of each language: kept once per chosen region, each copy with its notices
# in it (no include copy).
REGIONAL_PAGES = re.compile(r"^/[a-z]{2}(-[a-z]+)?/$")
# Where the purge server takes a page's include copy (the one learners who chose a region
# get, kept under a key of its own): this prefix, then the page's address.
INCLUDE_COPY_PURGE = "/_include-copy"
# The header carrying the key nginx caches an answer under: the address exactly as the
# browser sent it ($request_uri).
CACHE_KEY_HEADER = "HTTP_X_PIONEER_CACHE_KEY"
CACHEABLE = {200, 301, 302, 404}  # what nginx keeps (proxy_cache_valid)
# How long nginx keeps a page's copy before it revalidates it (proxy_cache_valid of pages;
# a home page's regional copy says so itself, X-Accel-Expires). Copies for learners with no
# region carry the notices in force: one that starts or ends shows within this, short of
# the minute promised with some leeway for the render.
PAGE_KEPT = 45  # seconds
# nginx serves a copy for at most 2 minutes (the widget's: 1) after the site last answered
# for it, with the page or a 304 (no stale copy while one is refreshed), so a copy last
# noted longer ago than ANSWERS_KEEP is no longer served without the site's answer.
ANSWERS_KEEP = 600  # seconds: longer than nginx keeps an answer unasked (5 min, deploy/nginx)
# How long after it expires nginx may serve a noted answer while it fetches the next one in
# the background: clients never wait for a refresh. Only noted answers get this leave (a
# Cache-Control extension nginx reads per answer; it strips it before clients see it), so
# an answer no purge can reach is never served stale: during a Redis outage refreshes are
# not kept, and the last copy from before it can only be served until this runs out.
ANSWERS_STALE = 60  # seconds
PERSONAL_COOKIES = ("sessionid", "csrftoken", "mode", "saver")  # nginx's bypass (deploy/nginx)


def cached_by_nginx(request):
    """Whether nginx may keep this request's answer: what its bypass rules leave
    (deploy/nginx: no session, CSRF, elder-mode or data-saver cookie, no Save-Data)."""
    return request.method in ("GET", "HEAD") and not (
        any(name in request.COOKIES for name in PERSONAL_COOKIES)
        or "on" in request.headers.get("Save-Data", "").lower()
    )


def keyed_region(request):
    """The chosen region's slug as nginx keys this request's copy ("" for none): nginx's
    header behind nginx (``REGION_HEADER``), the cookie checked for shape without it."""
    if request is None:
        return ""
    forwarded = request.META.get(REGION_HEADER)
    value = forwarded if forwarded is not None else request.COOKIES.get(REGION_COOKIE, "")
    return value if value != "-" and REGION_SLUG.fullmatch(value) else ""


def purge_paths(target):
    """The purge server's paths for ``target`` (an address as nginx keys it): the copy kept
    under it and, for a page learners who chose a region get with the notices' include,
    that copy too."""
    path = target.split("?", 1)[0]
    if ANSWER_PATHS.match(path) or NEVER_CACHED.match(path) or REGIONAL_PAGES.match(path):
        return [target]
    return [target, INCLUDE_COPY_PURGE + target]
