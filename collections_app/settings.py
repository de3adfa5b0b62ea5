"""Settings for Dunwell, read from the environment.

Safe by default: DEBUG is off, a SECRET_KEY must be given outside DEBUG, cookies are
secure and HSTS is on unless DEBUG. `make run` sets DEBUG=1 and a development key;
production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS.
"""

import os
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DUNWELL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dunwell-development-only-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_fsm_log",
    "django_celery_beat",
    "pgtrigger",
    "rest_framework",
    "rest_framework.authtoken",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "collections_app",
    "compliance",
    "notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "collections_app.display_zone.DisplayTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collections_app.urls"
WSGI_APPLICATION = "collections_app.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.tz",
                "collections_app.display_zone.context",
            ],
        },
    },
]

# The embedded default is a SQLite file under var/, so `make run` needs no server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dunwell.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# The gate's hot statements are PREPAREd once per database session. A pooler that hands one
# server session to several clients between transactions (PgBouncer in transaction mode)
# cannot keep them: set DB_PREPARED_STATEMENTS=0 there.
DUNWELL_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers (web and
    # worker) queue up instead of failing with "database is locked" half way through.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it counts failed logins (web login and admin) and refuses a locked-out
# username from the same address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours; then the lock lifts by itself
# A username locked from one address, not everywhere: nobody can lock a colleague out
# from their own desk by mistyping their name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("DUNWELL_BEHIND_PROXY") else None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
# The zone web pages write times in until a member of staff picks their own (header).
DUNWELL_DISPLAY_TIME_ZONE = os.environ.get("DUNWELL_DISPLAY_TIME_ZONE", "UTC")
if DUNWELL_DISPLAY_TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"DUNWELL_DISPLAY_TIME_ZONE={DUNWELL_DISPLAY_TIME_ZONE!r} is not an IANA time zone")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Production hardening: on unless DEBUG. Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER through DUNWELL_BEHIND_PROXY=1.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
# A shared or borrowed computer: closing the browser ends the session with the debtors' data.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content security policy (django-csp 4): everything from our own origin; no inline script
# or style except an element carrying the response's nonce (Swagger UI's style, htmx's
# indicator style). htmx itself is a static file served by django-htmx.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # Swagger UI's icons are data: URIs
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
if env_bool("DUNWELL_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: Redis in production; with no CELERY_BROKER_URL, kombu's filesystem transport
# under var/ so the worker and beat run with no server at all.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in (_broker_dir / "queue", _broker_dir / "processed"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
else:
    # A task whose worker died is handed out again after this many seconds. The outbox
    # uses no ETA tasks, so it can be short; keep it above the longest single delivery.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600"))}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker down, give up publishing quickly: the outbox lives in the database and
# the next dispatch claims the notice again once its lease expires.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# The audit ledger's signed digests. In production the key lives outside the database,
# so that whoever can rewrite the table cannot forge a digest.
AUDIT_DIGEST_KEY = os.environ.get("AUDIT_DIGEST_KEY", "") or SECRET_KEY
AUDIT_DIGEST_DIR = Path(os.environ.get("AUDIT_DIGEST_DIR", VAR_DIR / "digests"))

# Firm policy, not law: who collects when a portfolio row leaves collector_type blank.
DUNWELL_DEFAULT_COLLECTOR_TYPE = os.environ.get("DUNWELL_DEFAULT_COLLECTOR_TYPE", "third_party")

REST_FRAMEWORK = {
    # Tokens for lenders' integrations, the session for the web.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # JSON bodies are held to DATA_UPLOAD_MAX_MEMORY_SIZE (413); uploads are multipart.
    "DEFAULT_PARSER_CLASSES": [
        "collections_app.api_support.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Every 4xx has a `detail` message; Django's own errors become JSON too.
    "EXCEPTION_HANDLER": "collections_app.api_support.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # A runaway integration or a scraper slows down before it hurts anyone (per user or address).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DUNWELL_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("DUNWELL_API_USER_RATE", "3000/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dunwell API",
    "DESCRIPTION": "Cases, the compliance gate, payments and imports. Authenticate with "
                   "`Authorization: Token <key>` (manage.py drf_create_token <user>).",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set (several models have a `kind` or a `channel`).
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "collections_app.models.Channel",
        "NoticeChannelEnum": "notices.models.NoticeChannel",
        "ContactPointKindEnum": "collections_app.models.ContactPoint.Kind",
        "PreferenceKindEnum": "collections_app.models.ContactPreference.Kind",
        "PreferenceScopeEnum": "collections_app.models.ContactPreference.Scope",
        "HoldKindEnum": "collections_app.models.HoldKind",
        "LanguageEnum": "collections_app.models.Language",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Firm policy, not law: days a final notice gives before a legal referral, and the days
# past due at which `advance_stages` moves a case (new -> early -> active -> final notice).
DUNWELL_FINAL_NOTICE_WAIT_DAYS = int(os.environ.get("DUNWELL_FINAL_NOTICE_WAIT_DAYS", "30"))
DUNWELL_STAGE_DAYS_PAST_DUE = {"early": 1, "active": 30, "final_notice": 60}

# Who collects: printed on letters and in every message (1006.18(e), 1006.34(c)(1)).
# The envelope name must not reveal debt collection (1006.22(f)(5); CONC 7.9.7R).
DUNWELL_COLLECTOR = {
    "name": os.environ.get("DUNWELL_COLLECTOR_NAME", "Dunwell Recovery Services LLC"),
    "envelope_name": os.environ.get("DUNWELL_COLLECTOR_ENVELOPE_NAME", "DRS"),
    "address": os.environ.get("DUNWELL_COLLECTOR_ADDRESS", "PO Box 1200, Boston, MA 02101, USA"),
    "dispute_address": os.environ.get("DUNWELL_DISPUTE_ADDRESS", "PO Box 1201, Boston, MA 02101, USA"),
    "phone": os.environ.get("DUNWELL_COLLECTOR_PHONE", "+1 617 555 0100"),
    "email": os.environ.get("DUNWELL_COLLECTOR_EMAIL", "help@dunwell.example.com"),
    "website": os.environ.get("DUNWELL_COLLECTOR_WEBSITE", "https://dunwell.example.com"),
    "hours": os.environ.get("DUNWELL_COLLECTOR_HOURS", "Monday-Friday 08:00-20:00 ET"),
    "california_licence": os.environ.get("DUNWELL_CA_LICENCE", "CA-DCA-0000000"),
    "cn_name": os.environ.get("DUNWELL_COLLECTOR_CN_NAME", "顿维尔信息服务有限公司"),
    "cn_phone": os.environ.get("DUNWELL_COLLECTOR_CN_PHONE", "400-800-0000"),
    "cn_address": os.environ.get("DUNWELL_COLLECTOR_CN_ADDRESS", "上海市黄浦区中山东一路18号 邮编200002"),
    "gb_name": os.environ.get("DUNWELL_COLLECTOR_GB_NAME", "Dunwell Recovery UK Ltd"),
    "gb_fca_number": os.environ.get("DUNWELL_GB_FCA_NUMBER", "000000"),
    "gb_address": os.environ.get("DUNWELL_COLLECTOR_GB_ADDRESS", "PO Box 4120, Leeds LS1 4AP, United Kingdom"),
}
NOTICES_PRINT_DIR = Path(os.environ.get("NOTICES_PRINT_DIR", VAR_DIR / "print"))

# Notices leave by email through Django's backend (files under var/mail unless an SMTP
# server is configured) and by SMS through a provider class (a file outbox by default).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DUNWELL_COLLECTOR["email"])
DUNWELL_EMAIL_DOMAIN = os.environ.get("DUNWELL_EMAIL_DOMAIN", "dunwell.example.com")
DUNWELL_SMS_PROVIDER = os.environ.get("DUNWELL_SMS_PROVIDER", "notices.channels.FileSmsProvider")
# How long a claimed notice is reserved for its delivery task before another dispatch may
# claim it again (its worker presumably died).
NOTICES_LEASE_SECONDS = int(os.environ.get("NOTICES_LEASE_SECONDS", "300"))
# The lender whose portfolio this installation collects, when a loan names no creditor.
DUNWELL_DEFAULT_CREDITOR = os.environ.get("DUNWELL_DEFAULT_CREDITOR", "Dunwell Demo Lending")
