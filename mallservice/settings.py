"""Settings for mallservice, driven by environment variables.

The defaults are production's: DEBUG off, so a SECRET_KEY must be given
(with its hosts), and then `check --deploy` is clean. Development opts in
with DEBUG=true (`make run` and the tests do), which also allows a fixed
development key.
"""

import datetime
from pathlib import Path

import environ
import pghistory
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "import_export",
    "axes",
    "pgtrigger",
    "pghistory",
    "mallservice",
    "members",
    "complaints",
    "broadcasts",
    "mailroom",
    "rosters",
    "desk",
]

# The apps this project owns: the audit meta-test, role permissions and demo
# data walk these.
PROJECT_APPS = [
    "mallservice",
    "members",
    "complaints",
    "broadcasts",
    "mailroom",
    "rosters",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mallservice.middleware.RejectNullBytesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mallservice.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mallservice.middleware.DatabaseBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mallservice.middleware.AuditContextMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mallservice.urls"
WSGI_APPLICATION = "mallservice.wsgi.application"

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
                "mallservice.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL is the only database: history triggers, row locks with
# SKIP LOCKED and Chinese text search depend on it.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://root@127.0.0.1:5432/mallservice")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
# Every pgtrigger trigger (the audit triggers too) first reads the setting
# `pgtrigger.ignore` inside an exception block; when it is not set, each row
# written aborts a subtransaction, and PostgreSQL then rescans the pending
# deferred foreign-key checks — quadratic in a bulk write (100,000 imported
# members: 300 s instead of 6 s). An empty list ignores nothing: every
# history row is still written, and `pgtrigger.ignore()` still overrides it.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c pgtrigger.ignore={}"
# The application's own database role (README, "Database roles and audit"):
# after every migrate (run as the owner) it is granted DML on ordinary tables
# and only SELECT/INSERT on history tables and logs.
DATABASE_APP_ROLES = env.list("DATABASE_APP_ROLES", default=[])

# Timeouts, in milliseconds (0 = none). A request waiting on a row another
# desk or a task holds gives up after the lock timeout and tells the user to
# try again (mallservice.middleware.DatabaseBusyMiddleware) instead of hanging
# until gunicorn kills it (its --timeout stays above the statement timeout).
# These are the web's; Celery workers switch to the larger DB_WORKER_*
# values when they start (mallservice/celery.py).
DB_TIMEOUTS = {
    "statement_timeout": env.int("DB_STATEMENT_TIMEOUT_MS", default=20_000),
    "lock_timeout": env.int("DB_LOCK_TIMEOUT_MS", default=5_000),
    "idle_in_transaction_session_timeout": env.int(
        "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", default=30_000
    ),
}
DB_WORKER_TIMEOUTS = {
    "statement_timeout": env.int("DB_WORKER_STATEMENT_TIMEOUT_MS", default=600_000),
    "lock_timeout": env.int("DB_WORKER_LOCK_TIMEOUT_MS", default=60_000),
    "idle_in_transaction_session_timeout": env.int(
        "DB_WORKER_IDLE_IN_TRANSACTION_TIMEOUT_MS", default=600_000
    ),
}
DATABASES["default"]["OPTIONS"]["options"] = " ".join(
    [
        DATABASES["default"]["OPTIONS"].get("options", ""),
        *(f"-c {name}={ms}" for name, ms in DB_TIMEOUTS.items()),
    ]
).strip()

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# Everything cached can be rebuilt from PostgreSQL: while Redis is away the
# cache answers "not cached" after at most a short timeout, and leaves Redis
# alone for a few seconds (mallservice/cache.py), so pages and sessions keep
# working from the database.
CACHES = {
    "default": {
        "BACKEND": "mallservice.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env.str("CACHE_PREFIX", default="mallservice"),
        "OPTIONS": {
            "socket_connect_timeout": env.float("CACHE_TIMEOUT_SECONDS", default=0.5),
            "socket_timeout": env.float("CACHE_TIMEOUT_SECONDS", default=0.5),
            "RETRY_AFTER_SECONDS": 5,
        },
    }
}

AUTH_USER_MODEL = "mallservice.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mallservice.access.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database so a Redis restart logs nobody out; their
# cached copy is simply skipped while Redis is away (the cache degrades).
# Desk PCs are shared: an idle session ends after IDLE_TIMEOUT_MINUTES.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
IDLE_TIMEOUT_MINUTES = env.int("IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = IDLE_TIMEOUT_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# The client's address: REMOTE_ADDR, or behind PROXY_COUNT trusted reverse
# proxies the address the outermost one saw (mallservice.net.client_ip).
# A client-supplied X-Forwarded-For is never believed beyond that.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Brute force: the whole desk sits behind one IP, so lock the pair
# (username, IP) after a few failures; the IP alone only after many more,
# across all login names (mallservice.lockout).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "mallservice.lockout.AddressCappedHandler"
AXES_CLIENT_IP_CALLABLE = "mallservice.net.client_ip"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files are never served from MEDIA_URL: only through scoped views
# (mallservice/files.py). Size limits per kind of upload (mallservice/uploads.py);
# complaint attachments also have a 5 MB check constraint in the database.
UPLOAD_MAX_BYTES = {
    "photo": env.int("UPLOAD_MAX_PHOTO_BYTES", default=5 * 1024 * 1024),
    "attachment": env.int("UPLOAD_MAX_ATTACHMENT_BYTES", default=5 * 1024 * 1024),
    "screen_image": env.int("UPLOAD_MAX_SCREEN_IMAGE_BYTES", default=8 * 1024 * 1024),
    "signature": 300 * 1024,
}
# e.g. "/protected-media/": nginx sends the file (X-Accel-Redirect) after the
# view's check; that location must be `internal` (README "Uploaded files").
MEDIA_ACCEL_REDIRECT_PREFIX = env.str("MEDIA_ACCEL_REDIRECT_PREFIX", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Exporting a list needs the permission to view it.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
# Text starting with = + - @ is written as text (formula injection); the
# admin's formats escape with mallservice.exports, see mallservice/admin.py.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="mallservice@localhost")
# An SMTP server that stops answering must not hold a message "sending" for
# ever; a message claimed longer ago than OUTBOX_SENDING_STALE_SECONDS is
# sent again, with the same Message-ID (the outboxes, the daily report).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_SENDING_STALE_SECONDS = env.int("OUTBOX_SENDING_STALE_SECONDS", default=300)

# The notification outbox (mallservice/notifications, README "SMS and
# WeCom"). Without a provider, SMS and WeCom go to the console channel:
# supervisors read them at /notifications/console/.
_NOTIFY = "mallservice.notifications"
NOTIFY_PROVIDERS = {
    "sms": {
        "console": f"{_NOTIFY}.providers.ConsoleProvider",
        "tencent": f"{_NOTIFY}.tencent.TencentSmsProvider",
    }[env.str("SMS_PROVIDER", default="console")],
    "wecom": {
        "console": f"{_NOTIFY}.providers.ConsoleProvider",
        "wecom": f"{_NOTIFY}.wecom.WeComProvider",
    }[env.str("WECOM_PROVIDER", default="console")],
    "email": f"{_NOTIFY}.providers.EmailProvider",
}
# Reminders and marketing to customers wait out the night (local time).
NOTIFY_QUIET_HOURS = (datetime.time(21, 0), datetime.time(8, 0))
# Notices, reminders and marketing a customer gets a day, per channel.
NOTIFY_DAILY_CAP = env.int("NOTIFY_DAILY_CAP", default=5)
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=5)
NOTIFY_RETRY_BASE_SECONDS = env.int("NOTIFY_RETRY_BASE_SECONDS", default=60)
NOTIFY_RETRY_MAX_SECONDS = env.int("NOTIFY_RETRY_MAX_SECONDS", default=3600)
# Tencent Cloud SMS (短信). The endpoint is a setting so tests (and a
# staging proxy) can point the SDK elsewhere; "https" in production.
TENCENT_SMS_SECRET_ID = env.str("TENCENT_SMS_SECRET_ID", default="")
TENCENT_SMS_SECRET_KEY = env.str("TENCENT_SMS_SECRET_KEY", default="")
TENCENT_SMS_APP_ID = env.str("TENCENT_SMS_APP_ID", default="")
TENCENT_SMS_REGION = env.str("TENCENT_SMS_REGION", default="ap-guangzhou")
TENCENT_SMS_ENDPOINT = env.str("TENCENT_SMS_ENDPOINT", default="sms.tencentcloudapi.com")
TENCENT_SMS_PROTOCOL = env.str("TENCENT_SMS_PROTOCOL", default="https")
# Signature (签名) and template ids (模板ID) by template code, with the
# order of each template's parameters; SMS_MALLS overrides them per mall
# code: {"mall-code": {"sign_name": "…", "templates": {"code": {...}}}}.
SMS_SIGN_NAME = env.str("SMS_SIGN_NAME", default="")
SMS_TEMPLATES = env.json("SMS_TEMPLATES", default={})
SMS_MALLS = env.json("SMS_MALLS", default={})
# The delivery-receipt callback's secret: part of the URL given to the
# provider (/notifications/receipts/tencent/<secret>/).
SMS_RECEIPT_SECRET = env.str("SMS_RECEIPT_SECRET", default="")
SMS_RECEIPTS_PER_MINUTE = env.int("SMS_RECEIPTS_PER_MINUTE", default=600)
# WeCom (企业微信) application messages.
WECOM_BASE_URL = env.str("WECOM_BASE_URL", default="https://qyapi.weixin.qq.com")
WECOM_CORP_ID = env.str("WECOM_CORP_ID", default="")
WECOM_SECRET = env.str("WECOM_SECRET", default="")
WECOM_AGENT_ID = env.int("WECOM_AGENT_ID", default=0)

# Audit trail: every tracked change is stored with its context (actor,
# source) in the event row itself, and event tables refuse UPDATE/DELETE.
PGHISTORY_APPEND_ONLY = True
PGHISTORY_CONTEXT_FIELD = pghistory.ContextJSONField()
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Content-Security-Policy: nothing inline, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True

# Celery: Redis is only the transport. Work due in the future lives in
# PostgreSQL rows claimed by dispatchers, so a Redis restart loses nothing.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The longest task (a member import, a planner run) is stopped at the hard
# time limit; the broker redelivers an unacknowledged message only after the
# visibility timeout, so that is bounded just above the limit. Recovery does
# not wait for it: dispatchers re-claim a run whose heartbeat is older than
# JOB_STALE_SECONDS (mallservice.jobs).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=120)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# Member imports (their tasks and their dispatcher) parse uploaded files:
# their own queue, so a large or hostile workbook cannot hold up reminders
# and dispatchers (workers: -Q celery,imports).
CELERY_TASK_ROUTES = {"members.tasks.import*": {"queue": "imports"}}
# A worker process is replaced once it has grown past this (KiB) — after the
# task that grew it, so an import that balloons frees its memory.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)
# Each app adds its periodic tasks here; entries run the app's dispatcher.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "mallservice.tasks.beat_heartbeat", "schedule": 60.0},
    "daily-reports": {"task": "mallservice.tasks.daily_reports", "schedule": 300.0},
    # Starts each app's DAILY_JOBS at its time, and again if its worker died.
    "daily-jobs": {"task": "mallservice.tasks.daily_jobs_dispatch", "schedule": 60.0},
    # The outbox: every app's SMS, WeCom and e-mail messages.
    "messages-dispatch": {"task": "mallservice.tasks.messages_dispatch_task", "schedule": 60.0},
}
HEARTBEAT_STALE_SECONDS = env.int("HEARTBEAT_STALE_SECONDS", default=180)
# /healthz tells anyone only ok/degraded; managers and monitoring that sends
# this token (Authorization: Bearer … or ?token=) also see what failed.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# A request enqueuing work after its commit must not wait long for a Redis
# that is away (the default connect timeout is the operating system's); the
# worker's BRPOP polls return every second, well inside the read timeout.
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 1
CELERY_BROKER_TRANSPORT_OPTIONS["socket_timeout"] = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-pass-2026")

# The desk's outside systems (desk/einvoice.py, desk/carpark.py). No e-invoice
# provider is contracted yet: the console adapter logs what it would issue.
# Without a car-park URL the console adapter logs the validation instead of
# sending it; with one, requests are signed with HMAC-SHA256 of the body.
DESK_EINVOICE_ADAPTER = env.str("DESK_EINVOICE_ADAPTER", default="desk.einvoice.ConsoleEInvoice")
DESK_CARPARK_URL = env.str("DESK_CARPARK_URL", default="")
DESK_CARPARK_SECRET = env.str("DESK_CARPARK_SECRET", default="")
DESK_CARPARK_TIMEOUT = env.float("DESK_CARPARK_TIMEOUT", default=5.0)

if not DEBUG and not env.str("CSRF_TRUSTED_ORIGINS", default=""):
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if "*" not in host]
