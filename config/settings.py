"""Settings for the community-facilities portal.

Everything that differs between a laptop and production comes from the
environment through the helpers of ``config.env``, which refuse malformed
values instead of guessing.
"""

from pathlib import Path

from config.env import env_bool, env_database, env_int, env_list, env_origins, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - only when DEBUG is on  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", default=_DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Environment variable SECRET_KEY is required when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "facilities",
    "eldercare",
    "volunteers",
    "compliance",
    "exchange",
]

# Background tasks (django-tasks): the database backend; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.NulQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The SQL the public pages compile once a process (core.compiled) runs as prepared statements on PostgreSQL, parsed
# once per kept connection instead of once per request. Off by default when connections
# are not kept (CONN_MAX_AGE=0: each would be prepared for one request), and to be off behind a pooler that
# can't carry them (PgBouncer in transaction mode before 1.21).
PREPARED_STATEMENTS = env_bool("PREPARED_STATEMENTS", default=DATABASES["default"].get("CONN_MAX_AGE", 0) != 0)
if PREPARED_STATEMENTS and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's preparing off (None); its own cursors bind on the client and never prepare, so this
    # reaches only core.compiled's, which ask for it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["prepare_threshold"] = 5
    # PostgreSQL's own plan_cache_mode (auto): after five runs a prepared statement keeps one generic plan when
    # it costs no more than those planned for their values — a record read by its id, a list's page, the nearest
    # to a point: planned once per connection instead of per request (planning a page's joins took longer than
    # running them). The statements whose best plan depends on their values (a search's words, a box's bounds)
    # ask to be planned for each run's values (core.compiled.PLANNED_PER_RUN): a generic plan can't see them and
    # read the whole table for a search (the one search at 40×: 75 ms instead of 8).
# The public lists' order indexes carry the ids (INCLUDE) for an index-only scan on PostgreSQL, what production
# runs; SQLite, the embedded default, builds them without the ids, which is all models.W040 (migrate's check) says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Language: Simplified Chinese by default, English selectable.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Either cache fails soft (core.cache_backends): an error is logged once and the cache bypassed.
# The cache holds public pages under a version key that every save bumps (core.caching), so all
# app-server processes must share it: Redis when several machines serve, else files on this machine
# (shared by gunicorn's workers, unlike a per-process memory cache).
_REDIS_URL = env_str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "core.cache_backends.FailSoftRedisCache", "LOCATION": _REDIS_URL,
         # A Redis that doesn't answer costs at most half a second, then core.cache_backends bypasses it.
         "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
        if _REDIS_URL
        else {
            "BACKEND": "core.cache_backends.FailSoftFileBasedCache",
            "LOCATION": env_str("CACHE_DIR", default=str(BASE_DIR / ".cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
    # Rendered public pages, per process: keyed by the shared version above, so a save in any
    # process retires them everywhere, while a hit costs no file or network round trip.
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-pages",
              "OPTIONS": {"MAX_ENTRIES": 2000}},
}

# Whole public pages kept (core.caching.cache_public_page). Off, every page is rendered as it is right after a
# save retired it — still reading the shared versions and the reference data they guard (core.reference):
# for measuring that case (bench/settings.py) or for ruling the page cache out when something looks stale.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", default=True)

# Uploads: workbooks are at most 20 MB (checked again by the importer).
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# Login throttling (django-axes): lock by user name and address together.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address counted is the client's, also behind nginx (X-Real-IP, trusted only with BEHIND_PROXY=1).
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# Content Security Policy (django-csp 4): no inline scripts, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Production hardening: on whenever DEBUG is off (overridable for a plain-HTTP intranet).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Domain figures kept as settings (DOMAIN.md / issue: social-worker registration).
SOCIAL_WORK_EDUCATION_HOURS = {"assistant": 72, "social_worker": 90, "senior": 90}
REGISTRATION_WARNING_DAYS = 90
VERIFICATION_MAX_AGE_DAYS = 180

# Portal identity: the deployment is one city.
CITY_NAME = env_str("CITY_NAME", default="鸡西市")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
}

# --- facilities (issue 3) -------------------------------------------------------------
# Load the official holiday calendar into core.Holiday when migrating a fresh database.
# Off under the test settings (TESTING=1) so every test starts from an empty calendar
# and creates the days it needs.
LOAD_HOLIDAYS_ON_MIGRATE = env_bool("LOAD_HOLIDAYS_ON_MIGRATE", default=not env_bool("TESTING", default=False))

# --- matrix (issue 8): public sitemap at /sitemap.xml ----------------------------------------
INSTALLED_APPS += ["django.contrib.sitemaps"]  # its sitemap.xml template

# --- compliance (issue 8): no JIT compilation on PostgreSQL ---------------------------------
# The compliance board's grouped queries are estimated above jit_above_cost and PostgreSQL then
# spends ~75 ms compiling them to run for ~60 ms: JIT pays only for long analytic queries.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

# --- imports (issue 19): bounded work, refused before any spreadsheet code reads the file -----
# exchange.limits: rows per sheet, cells per workbook; above EXCHANGE_MAX_INLINE_CELLS an import
# runs as a background task (exchange.tasks). At most EXCHANGE_MAX_MESSAGES problems are listed.
EXCHANGE_MAX_ROWS = env_int("EXCHANGE_MAX_ROWS", 200_000)
EXCHANGE_MAX_CELLS = env_int("EXCHANGE_MAX_CELLS", 2_000_000)
EXCHANGE_MAX_INLINE_CELLS = env_int("EXCHANGE_MAX_INLINE_CELLS", 100_000)
EXCHANGE_MAX_MESSAGES = env_int("EXCHANGE_MAX_MESSAGES", 200)
# --- open data (issue 17): the HSDS 3.0 API at /api/hsds/ and its data package -----------------------
INSTALLED_APPS += ["corsheaders", "opendata"]
# CORS for the API only (any origin may read it; nothing else of the site is shared cross-origin).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "corsheaders.middleware.CorsMiddleware")
CORS_URLS_REGEX = r"^/api/hsds/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
# Requests per client address (config.client_ip) and window, counted in the shared cache (opendata.ratelimit).
OPENDATA_RATE_LIMIT = env_rate("OPENDATA_RATE_LIMIT", "600/m")
# The city's postcode for the published addresses (HSDS requires one; the portal records none per address).
CITY_POSTAL_CODE = env_str("CITY_POSTAL_CODE", default="158100")  # 鸡西市
if not (CITY_POSTAL_CODE.isascii() and CITY_POSTAL_CODE.isdigit() and len(CITY_POSTAL_CODE) == 6):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"Environment variable CITY_POSTAL_CODE={CITY_POSTAL_CODE!r} is not a 6-digit postcode.")
# --- residents' search, near me, map and trust (issue 16): the portal app -------------------------
INSTALLED_APPS += ["portal"]
TEMPLATES[0]["OPTIONS"]["context_processors"] += ["portal.context_processors.site",
                                                  "portal.context_processors.holiday_calendar"]
# The map's tile server, e.g. 天地图 with the deployment's key (天地图 uses CGCS2000, which is WGS-84 to
# within centimetres, so the portal's coordinates go on it unconverted):
#   MAP_TILE_URL=https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY
# Empty: the map shows the points over a plain background and says why.
MAP_TILE_URL = env_str("MAP_TILE_URL", default="")
MAP_TILE_SUBDOMAINS = env_str("MAP_TILE_SUBDOMAINS", default="01234567")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", default="")
if MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MAP_TILE_URL)
    if _tiles.scheme != "https" or not _tiles.netloc:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Environment variable MAP_TILE_URL must be an https:// URL template.")
    # The tile host may serve images to the page (CSP img-src); “{s}” stands for any of its subdomains.
    _host = _tiles.netloc.replace("{s}", "*")
    if _host.startswith("t*."):
        _host = "*." + _host[3:]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
                                                        f"https://{_host}"]
# The footer: who runs the site, how to reach them, and the identifiers a government site shows.
SITE_ORGANISER = env_str("SITE_ORGANISER", default="")  # empty: “<CITY_NAME>民政局”, translated
SITE_CONTACT = env_str("SITE_CONTACT", default="")
SITE_ICP = env_str("SITE_ICP", default="")  # ICP备案号, e.g. 黑ICP备12345678号
SITE_GOV_CODE = env_str("SITE_GOV_CODE", default="")  # 政府网站标识码, e.g. 2303000001
PORTAL_APP_NAME = env_str("PORTAL_APP_NAME", default="community-facilities-portal")  # src= of map hand-offs
# Residents' reports and ratings per address per hour (the form says so when exceeded).
PORTAL_SUBMISSIONS_PER_HOUR = env_int("PORTAL_SUBMISSIONS_PER_HOUR", 5)

# --- the reporting cycle (issue 15): monthly periods, district review, reminders -------------------
INSTALLED_APPS += ["reporting"]
# A month's period is due on this day of the following month (e.g. June's on 5 July).
REPORTING_DEADLINE_DAY = env_int("REPORTING_DEADLINE_DAY", 5)
# Days a return (退回) gives the street to fix its records.
REPORTING_RETURN_DAYS = env_int("REPORTING_RETURN_DAYS", 7)
# Reminders go through Django's mail settings: console in development; SMTP in production (docs/DEPLOY.md).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default=(
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"))
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="portal@localhost")
