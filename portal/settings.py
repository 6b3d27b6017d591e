"""Certfleet settings. Everything that differs between machines comes from the
environment; the defaults give the embedded setup (SQLite, a broker with no server)."""

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CERTFLEET_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_celery_beat",
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.fleet",
    "apps.vouchers",
    "apps.ca",
    "apps.certificates",
    "apps.certificates.lifecycle",
    "apps.bulk",
    "apps.api",
    "apps.sandbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
            ],
        },
    },
]

# Storage: PostgreSQL when DATABASE_URL is set, else a SQLite file shared safely by
# several worker processes (WAL, busy timeout, immediate transactions).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # CERTFLEET_SQLITE_PATH lets a worker process open the tests' database.
            "NAME": os.environ.get("CERTFLEET_SQLITE_PATH")
            or DATA_DIR / "certfleet.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache (login throttling across web processes) when CACHE_URL is set;
# otherwise each process keeps its own.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns (an error in tests) if absent
# Serve from the apps and static/ too when `collectstatic` has not run (the demo).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery: Redis (or any broker URL) when set; otherwise kombu's filesystem transport,
# which needs no server and still feeds real worker processes.
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
# Extra transport options as JSON, e.g. a key prefix or folder that isolates a test run.
CELERY_BROKER_TRANSPORT_OPTIONS = json.loads(
    os.environ.get("CELERY_BROKER_TRANSPORT_OPTIONS", "{}")
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    BROKER_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "store_processed": False,
        **CELERY_BROKER_TRANSPORT_OPTIONS,
    }
    # Broadcast messages (worker control) live beside the queue, not in the cwd.
    CELERY_BROKER_TRANSPORT_OPTIONS.setdefault(
        "control_folder",
        str(Path(CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]) / "control"),
    )
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"

# Secrets at rest: Fernet keys, newest first; older keys still decrypt (rotation).
CERTFLEET_ENCRYPTION_KEYS = [
    k for k in os.environ.get("CERTFLEET_ENCRYPTION_KEYS", "").split(",") if k
]

# DNS lookups of the pipeline: "host:port" of a resolver, or the system's resolvers.
CERTFLEET_DNS_SERVER = os.environ.get("CERTFLEET_DNS_SERVER", "")
# Key type for new certificates: ec256 (default), rsa2048, rsa3072.
CERTFLEET_KEY_TYPE = os.environ.get("CERTFLEET_KEY_TYPE", "ec256")
# How long a worker's claim on an order (and on a server slot) lasts without renewal;
# a crashed worker's work is taken up again after it.
CERTFLEET_LEASE_SECONDS = int(os.environ.get("CERTFLEET_LEASE_SECONDS", "300"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "EXCEPTION_HANDLER": "apps.api.errors.handle_exception",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Certfleet API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The interactive viewer's files are served from here, not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "AccountKindEnum": "apps.accounts.models.Account.Kind",
        "SiteKindEnum": "apps.fleet.models.Site.Kind",
        "SiteStateEnum": "apps.fleet.models.Site.State",
        "VoucherKindEnum": "apps.vouchers.models.Voucher.Kind",
        "VoucherStatusEnum": "apps.vouchers.models.Voucher.Status",
        "OrderKindEnum": "apps.certificates.models.Order.Kind",
        "OrderStateEnum": "apps.certificates.models.Order.State",
        "CertificateStatusEnum": "apps.certificates.models.Certificate.Status",
        "PushStateEnum": "apps.bulk.models.Push.State",
        "CertStateEnum": "apps.fleet.filters.CertState.choices",
    },
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "certfleet@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "apps": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
