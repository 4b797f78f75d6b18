"""Settings of 时代先锋网.

Everything an operator changes comes from environment variables (see deploy/README.md,
Configuration); every variable is optional and falls back to an embedded default
(SQLite, Wagtail's database search, local media, local-memory cache), so a newcomer
needs nothing else. Production is recognised by a ``SECRET_KEY`` in the environment:
then ``DEBUG`` defaults to off and ``ALLOWED_HOSTS`` must be given.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent  # the folder site/
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"  # local state of the embedded defaults (git-ignored)

env = environ.Env()

PRODUCTION = "SECRET_KEY" in env.ENVIRON
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="dev-only-insecure-key-0f3c9a7e51b84d2b9e6a1c5d8f2e7b4a-never-use-in-production",
)
if PRODUCTION:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "pioneer",
    "home",
    "lessons",
    "news",
    "notices",
    "station_messages",
    "schedule",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.search_promotions",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "django_ratelimit",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pioneer.caching.site_memo.ContentGenerationMiddleware",
    # Before the generation ETag: it notes the pages nginx revalidates with a 304 too.
    "pioneer.caching.answers.CachedAnswersMiddleware",
    "pioneer.caching.conditional.GenerationETagMiddleware",
    "pioneer.http.middleware.NulParameterMiddleware",
    "pioneer.http.middleware.OpenCorsMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "pioneer.http.ratelimit.RateLimitMiddleware",
    "pioneer.caching.conditional.ApiConditionalGetMiddleware",
    "pioneer.caching.answers.ApiAnswerCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pioneer.core.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pioneer.editorial.review_messages.AdminRequestMiddleware",
    "pioneer.http.middleware.ContentSecurityPolicyMiddleware",
    "pioneer.http.middleware.SaveDataVaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "pioneer.http.not_found.SiteNotFoundMiddleware",
]
if env.bool("PIONEER_QUERY_HEADER", default=False):
    # Benchmarks only (bench/scale.py): each answer says how many SQL queries it made.
    MIDDLEWARE.insert(0, "pioneer.http.query_count.QueryCountHeaderMiddleware")

ROOT_URLCONF = "pioneer.urls"
WSGI_APPLICATION = "pioneer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "pioneer.core.site_identity.display_mode",
                "pioneer.core.site_identity.site_identity",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Editors save while learners read: WAL lets readers go on during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
else:
    # Persistent connections (seconds; 0 closes after each request), checked before reuse
    # so a restarted database server costs one reconnect, not an error page.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DB_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- Cache ----------------------------------------------------------------------------
def caches_from_url(url):
    """CACHES for a CACHE_URL; with Redis, Django's own backend (the `redis` package) made
    to read an outage as cache misses (pioneer.caching.redis; the
    setting keeps the name pioneer.cache)."""
    default = env.cache_url_config(url)
    if default["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        default["BACKEND"] = "pioneer.cache.ResilientRedisCache"
    return {"default": default}


CACHES = caches_from_url(env.str("CACHE_URL", default="locmemcache://pioneer"))
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Sessions written through to the database and read from Redis: a Redis restart
    # (or outage) logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Search ---------------------------------------------------------------------------
SEARCH_URL = env.str("SEARCH_URL", default="")
# How an engine analyses Chinese: "segmented" (our words, whitespace analyzer) or "cjk".
SEARCH_ANALYZER = env.str("SEARCH_ANALYZER", default="segmented")
# Days the log of what learners search for keeps (search.query_log; no personal data).
SEARCH_LOG_DAYS = env.int("SEARCH_LOG_DAYS", default=90)
if SEARCH_LOG_DAYS < 30:  # the admin report reads 30 days
    raise ImproperlyConfigured("SEARCH_LOG_DAYS must be at least 30")


def search_backends_from_url(url):
    """Map SEARCH_URL to Wagtail search backends.

    Unset: the database backend alone. Set: the engine as ``default`` and the database
    backend as ``database``, kept up to date too, which answers when the engine is down.
    """
    # On PostgreSQL the text search configuration must leave our words as they are: the
    # default (``english``, chosen by initdb from the locale) drops English stop words and
    # stems words that pioneer.core.text.segmentation has already stemmed. ``simple`` only
    # lower-cases.
    database = {"BACKEND": "search.database", "SEARCH_CONFIG": "simple"}
    if not url:
        return {"default": database}
    parts = urlsplit(url)
    engines = {
        "opensearch": "search.backends.OpenSearch2Backend",
        "opensearch2": "search.backends.OpenSearch2Backend",
        "opensearch3": "search.backends.OpenSearch3Backend",
        "elasticsearch": "search.backends.Elasticsearch8Backend",
        "elasticsearch7": "search.backends.Elasticsearch7Backend",
        "elasticsearch8": "search.backends.Elasticsearch8Backend",
        "elasticsearch9": "search.backends.Elasticsearch9Backend",
    }
    scheme, http = parts.scheme, "http"
    if scheme not in engines and scheme.endswith("s") and scheme[:-1] in engines:
        scheme, http = scheme[:-1], "https"  # opensearchs://, elasticsearchs:// use TLS
    if scheme not in engines:
        raise ImproperlyConfigured(f"SEARCH_URL: unknown engine {parts.scheme!r}")
    credentials = f"{parts.username}:{parts.password or ''}@" if parts.username else ""
    host = f"{http}://{credentials}{parts.hostname}:{parts.port or 9200}"
    from search.engine_settings import index_settings

    return {
        "default": {
            "BACKEND": engines[scheme],
            "URLS": [host],
            "INDEX_PREFIX": env.str("SEARCH_INDEX_PREFIX", default="pioneer_"),
            "TIMEOUT": env.int("SEARCH_TIMEOUT", default=5),
            "OPTIONS": {"max_retries": 0},
            "INDEX_SETTINGS": index_settings(SEARCH_ANALYZER),
        },
        "database": database,
    }


WAGTAILSEARCH_BACKENDS = search_backends_from_url(SEARCH_URL)
# Our page models replace Page's raw ``title`` search field with a segmented one
# (search/index.py), which this check mistakes for a missing core field.
SILENCED_SYSTEM_CHECKS = ["wagtailsearch.W001"]

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))

MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
_storages = {}
if MEDIA_STORAGE == "s3":
    _s3_endpoint = env.str("S3_ENDPOINT_URL", default=None)
    _s3_bucket = env.str("AWS_STORAGE_BUCKET_NAME")
    _s3 = {
        "access_key": env.str("AWS_ACCESS_KEY_ID"),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY"),
        "endpoint_url": _s3_endpoint,
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        "location": env.str("AWS_LOCATION", default=""),
        "file_overwrite": False,
        # Plain options only (pioneer.ops.storage.ConfiguredS3Storage builds the client
        # configuration): path-style URLs on a custom endpoint (MinIO, S3Proxy, Ceph).
        "addressing_style": env.str(
            "AWS_S3_ADDRESSING_STYLE", default="path" if _s3_endpoint else "auto"
        ),
    }
    # Documents and original images: a private bucket, reached only through URLs signed
    # for a while (documents after Wagtail's privacy checks, see WAGTAILDOCS_SERVE_METHOD).
    # No custom domain here: a custom domain would turn them into plain, unsigned URLs.
    _default_storage = {
        "BACKEND": "pioneer.ops.storage.ConfiguredS3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": _s3_bucket,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
        },
    }
    # Image renditions (what pages show): private objects like the rest, in the same bucket
    # unless AWS_PUBLIC_BUCKET_NAME names another. Their URL is the site's /media/images/…,
    # which checks who may see the picture (pioneer.http.media) and redirects to a URL
    # signed until one RENDITION_URL_WINDOW past the current window, the same all window
    # long, so browsers, nginx and a CDN keep a public picture's redirect and bytes.
    _storages["renditions"] = {
        "BACKEND": "pioneer.ops.storage.CheckedRenditionStorage",
        "OPTIONS": {
            **_s3,
            "bucket_name": env.str("AWS_PUBLIC_BUCKET_NAME", default=_s3_bucket),
            "default_acl": None,
            "querystring_auth": True,
            "url_window": env.int("RENDITION_URL_WINDOW", default=3600),
            "object_parameters": {"CacheControl": "private, max-age=604800"},
        },
    }
    WAGTAILIMAGES_RENDITION_STORAGE = "renditions"
    # Wagtail checks a document's privacy, then redirects to a signed URL of the private
    # bucket: the file never streams through the app, and no lasting URL exists to share.
    WAGTAILDOCS_SERVE_METHOD = "redirect"
    # Import uploads: under private/ in the private bucket (shared with the task worker);
    # the site never signs a URL for them (pioneer.import_jobs).
    _private_location = "/".join(filter(None, [_s3["location"], "private"]))
    _storages["imports"] = {
        "BACKEND": "pioneer.ops.storage.PrivateS3Storage",
        "OPTIONS": {**_default_storage["OPTIONS"], "location": _private_location},
    }
elif MEDIA_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # Import uploads: a folder outside MEDIA_ROOT that nothing serves (nginx refuses
    # /media/imports/ as well); the storage makes no URL for them.
    _storages["imports"] = {
        "BACKEND": "pioneer.ops.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": env.str("IMPORT_UPLOADS_ROOT", default=str(VAR_DIR / "import-uploads"))
        },
    }
    # Documents stream through Django after the privacy checks (nginx refuses
    # /media/documents/, so no direct URL bypasses them).
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}")
# Behind nginx: once the site has checked who may have a document or an image, nginx sends
# the file from this internal location (X-Accel-Redirect, with byte ranges); unset, the
# site streams it itself (pioneer.http.files).
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
# How long an import preview nobody confirms keeps its uploaded file (SECURITY.md).
IMPORT_UPLOAD_RETENTION_HOURS = env.int("IMPORT_UPLOAD_RETENTION_HOURS", default=24)
STORAGES = {
    **_storages,
    "default": _default_storage,
    "staticfiles": {
        # Hashed names let nginx cache static files for a year.
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Wagtail's login form, with a label on its password field
# (pioneer.editorial.accounts.LoginForm).
WAGTAILADMIN_USER_LOGIN_FORM = "pioneer.editorial.accounts.LoginForm"
# LOCALE_DIR lets a test check the message catalogue in a copy, not in place.
# locale/overrides: Simplified Chinese for the Wagtail and wagtail-localize messages their
# own catalogues lack (LOCALE_PATHS win over the packages' catalogues). Second and inside
# locale/, so that makemessages goes on writing the project's strings to the first.
LOCALE_PATHS = [
    env.str("LOCALE_DIR", default=str(PROJECT_DIR / "locale")),
    str(PROJECT_DIR / "locale" / "overrides"),
]

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "时代先锋网"
# The site's one public address: applied to Wagtail's Site by `manage.py setup_site` (so
# pages, the APIs, the sitemap and the widget name it), and to links in mails to editors.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=SITE_URL)
# Pages a sitemap file lists (pioneer/core/sitemap.py; the protocol allows 50,000).
SITEMAP_LIMIT = env.int("SITEMAP_LIMIT", default=5000)
# Background work (search index updates, front-cache purges, imports): run at once in
# the request by default; in production queued in the database and run by
# `manage.py db_worker` (deploy/systemd/pioneer-worker.service), failures retried
# (pioneer/ops/task_retry.py) and listed under 报告 → 后台任务.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
if TASKS_BACKEND not in ("immediate", "database"):
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be 'immediate' or 'database', not {TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
TASK_RETRIES = env.int("TASK_RETRIES", default=3)
TASK_RETRY_DELAY = env.int("TASK_RETRY_DELAY", default=30)  # seconds, doubled each time
# A task RUNNING longer than this (seconds) lost its worker (killed, or its server gone):
# `manage.py recover_stale_tasks` fails it, and it is retried. Far above the longest task
# (an import of 10,000 lessons: about 3 minutes) and systemd's stop timeout (90 s) for the
# task a stopping worker finishes.
TASK_STALE_AFTER = env.int("TASK_STALE_AFTER", default=3600)

# The front cache (nginx proxy_cache, deploy/nginx/pioneer.conf): publishing or
# unpublishing a page sends PURGE requests for its URLs, its indexes and its feeds, to
# every front: each nginx keeps its own cache. FRONTEND_CACHE_PURGE_URLS lists their PURGE
# servers (comma-separated); FRONTEND_CACHE_PURGE_URL, the one-front name, is one more entry.
FRONTEND_CACHE_PURGE_URL = env.str("FRONTEND_CACHE_PURGE_URL", default="")
FRONTEND_CACHE_PURGE_URLS = list(
    dict.fromkeys(
        url.strip().rstrip("/")
        for url in [FRONTEND_CACHE_PURGE_URL, *env.list("FRONTEND_CACHE_PURGE_URLS", default=[])]
        if url.strip()
    )
)
for _purge_url in FRONTEND_CACHE_PURGE_URLS:
    if urlsplit(_purge_url).scheme not in ("http", "https") or not urlsplit(_purge_url).netloc:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_PURGE_URLS: {_purge_url!r} is no http:// or https:// address"
        )
if FRONTEND_CACHE_PURGE_URLS:
    # One backend a front ("nginx" alone, as before; "nginx-1", "nginx-2" … for several).
    WAGTAILFRONTENDCACHE = {
        ("nginx" if len(FRONTEND_CACHE_PURGE_URLS) == 1 else f"nginx-{number}"): {
            "BACKEND": "pioneer.caching.front_cache.NginxPurgeBackend",
            "LOCATION": url,
        }
        for number, url in enumerate(FRONTEND_CACHE_PURGE_URLS, 1)
    }
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "txt",
    "zip",
    "mp3",
    "m4a",
    "ogg",
    "mp4",
    "webm",
    "wav",
    "vtt",
]
# The document form tells editors what an audio or video file costs learners on 2G.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "pioneer.core.media.DocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("DOCS_MAX_UPLOAD_MB", default=200) * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGES_MAX_UPLOAD_MB", default=10) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: editors' avatars would leak their e-mail hashes to a third party (and the
# admin's CSP allows images from this site only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Editors all work in China's one time zone: the account page offers it (and the server's
# default) instead of some 600 zone names in English.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="时代先锋网 <noreply@localhost>")
# The SMTP relay (unset: the machine's own MTA on port 25), and the folder Django's
# file backend writes to; deploy/README.md.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
if env.str("EMAIL_FILE_PATH", default=""):
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")

# --- Security -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp, pioneer.http.middleware.ContentSecurityPolicyMiddleware).
# Public pages run no script of their own (JSON-LD blocks are data, never run; 'self' is for
# the editors' userbar) and use one stylesheet; images, video and audio come from this site
# and from the media storage's origins (added per request, pioneer.http.middleware.media_origins);
# frames are lessons' partner videos (EmbedBlock accepts any oEmbed provider, so any HTTPS
# page by default; CSP_FRAME_SRC narrows it) and the widget preview. frame-ancestors follows
# X-Frame-Options (the embed widget sends its own policy).
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
_frame_src = ["'self'", *env.list("CSP_FRAME_SRC", default=["https:"])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": _frame_src,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "upgrade-insecure-requests": PRODUCTION,
    },
}
# The Wagtail admin uses inline scripts and styles, data: and blob: images (uploads'
# previews) and frames its own previews: a looser policy, still only this site's code.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": _frame_src,
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "upgrade-insecure-requests": PRODUCTION,
    },
}
if PRODUCTION:
    # TLS ends at nginx, which says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Partners: feeds, API and embeds may be read from any origin, with GET only -------
CORS_URLS_REGEX = r"^/(api|feeds|embed)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# Requests per client IP (django-ratelimit, counted in the cache): "" turns a limit off.
RATE_LIMIT_API = env.str("RATE_LIMIT_API", default="120/m")
RATE_LIMIT_SEARCH = env.str("RATE_LIMIT_SEARCH", default="60/m")
# The search log's counts (search.views.search_seen, search_open): over it a client's
# requests still answer (the image still shows, the ping gets its 204) but count nothing.
RATE_LIMIT_SEARCH_LOG = env.str("RATE_LIMIT_SEARCH_LOG", default="120/m")
# Password guessing at every door (admin and front-end login, page passwords, password
# reset: pioneer.http.ratelimit), per client IP and per account (or password-protected page).
RATE_LIMIT_LOGIN_IP = env.str("RATE_LIMIT_LOGIN_IP", default="10/15m")
RATE_LIMIT_LOGIN_USER = env.str("RATE_LIMIT_LOGIN_USER", default="5/15m")
# Messages from the stations (station_messages): messages one client address may send
# through the public form; past it the form answers 429 and keeps what was typed.
RATE_LIMIT_MESSAGES = env.str("RATE_LIMIT_MESSAGES", default="5/h")
# Days a message's phone number is kept (manage.py purge_message_phones blanks it after);
# the form's privacy notice says so.
STATION_MESSAGE_PHONE_DAYS = env.int("STATION_MESSAGE_PHONE_DAYS", default=180)
# The guard first: past a limit no password is checked, whichever door asks.
AUTHENTICATION_BACKENDS = [
    "pioneer.http.ratelimit.AuthLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# Django's own RedisCache increments atomically; django-ratelimit's list of supported
# backends predates it.
SILENCED_SYSTEM_CHECKS += ["django_ratelimit.W001"]
# With the cache away, serve rather than refuse everyone (the limits are a guard against
# floods, not access control).
RATELIMIT_FAIL_OPEN = env.bool("RATELIMIT_FAIL_OPEN", default=True)
if not PRODUCTION and CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    # One development process: its own memory is a fine place to count requests. In
    # production the check stays: limits need a cache every app server shares (Redis).
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 50
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    # The public API needs nobody's identity: no HTTP Basic password checks there.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "opensearch": {"level": "WARNING"},
        "elasticsearch": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},
    },
}
