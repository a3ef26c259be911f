"""Settings for benvung, read from the environment.

Every value that differs between a laptop, CI and production comes from an environment
variable, so the same code runs everywhere (12-factor style).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
# The working directory's var/ holds the SQLite file and uploads, so that `benvung init`
# run from any folder keeps its data beside the user rather than inside site-packages.
VAR_DIR = Path(os.environ.get("BENVUNG_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("BENVUNG_DEBUG", False)
SECRET_KEY = os.environ.get("BENVUNG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("BENVUNG_PRODUCTION", False):
        raise RuntimeError("BENVUNG_SECRET_KEY must be set in production")
    # A fixed development key: only used when no key is configured and not in production.
    SECRET_KEY = "benvung-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("BENVUNG_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("BENVUNG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Histories are read by their record or unit, never by date alone: an index on the date would
# be one more write for each of an import's million history rows.
SIMPLE_HISTORY_DATE_INDEX = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prose_editor",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "benvung.core",
    "benvung.orgunits",
    "benvung.plans",
    "benvung.datavalues",
    "benvung.scpmodels",
    "benvung.indicators",
    "benvung.accounts",
    "benvung.reporting",
    "benvung.portal",
    "benvung.api",
    "benvung.ops",
    "benvung.bench",
    "benvung.tasks",
    "benvung.annualplans",
    "benvung.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the user chose English with the header switch (not Accept-Language).
    "benvung.core.locale_middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "benvung.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "benvung.urls"
WSGI_APPLICATION = "benvung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "benvung.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'benvung.sqlite3'}"),
        conn_max_age=int(os.environ.get("BENVUNG_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A fresh machine has no var/ yet; SQLite cannot create the folder itself.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while an import writes; the timeout waits for a writer instead
    # of failing with "database is locked" when two people save at once. Statement journals
    # in memory: the values' change trigger (indicators.0002) makes each inserted row's
    # statement journal a page, which in a temporary file cost an import of a million rows
    # 4.5 million writes to disk.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 first (OWASP's choice); the others stay so that older hashes still verify and are
# upgraded to Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes first: it refuses a locked-out username and address before the password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:plan-default"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The header switch stores the choice in this cookie for a year; LanguageCookieMiddleware reads
# only the cookie (never Accept-Language), so Vietnamese stays the default.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Django's Vietnamese locale defines no input formats: accept what users type (16/01/2021).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Serve straight from the apps' static folders: `benvung serve` then needs no collectstatic
# step, and every asset still comes from this server (no CDN on an intranet).
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Bigger files go to a temporary file, and stop being written past BENVUNG_MAX_UPLOAD_MB
# (benvung/core/uploads.py refuses them with their size).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "benvung.core.uploads.LimitedUploadHandler",
]
# Limits of uploaded and imported files (benvung/core/uploads.py): web uploads, then imports
# (the command line; the web import page allows BENVUNG_MAX_WEB_IMPORT_ROWS rows).
BENVUNG_MAX_UPLOAD_MB = int(os.environ.get("BENVUNG_MAX_UPLOAD_MB", "10"))
BENVUNG_MAX_IMPORT_MB = int(os.environ.get("BENVUNG_MAX_IMPORT_MB", "200"))
BENVUNG_MAX_IMPORT_ROWS = int(os.environ.get("BENVUNG_MAX_IMPORT_ROWS", "1000000"))
BENVUNG_MAX_WEB_IMPORT_ROWS = int(os.environ.get("BENVUNG_MAX_WEB_IMPORT_ROWS", "100000"))
# /healthz reports the disk as low below this many free bytes in the var directory.
BENVUNG_HEALTH_MIN_FREE_MB = int(os.environ.get("BENVUNG_HEALTH_MIN_FREE_MB", "500"))
# How late another server process may show a committed change on the public pages
# (core/published.py); 0: at its next request.
BENVUNG_PUBLIC_MAX_AGE_S = float(os.environ.get("BENVUNG_PUBLIC_MAX_AGE_S", "10"))

# --- Security (see docs/deployment.md, "Security settings") ---------------------------------
# BENVUNG_PRODUCTION=1 turns on everything that needs HTTPS in front of the application
# (nginx terminating TLS): `benvung manage check --deploy` then reports nothing.
PRODUCTION = env_bool("BENVUNG_PRODUCTION", False)
# A session lasts one working day at most and ends with the browser: the data is unpublished.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("BENVUNG_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("BENVUNG_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("BENVUNG_SSL_REDIRECT", PRODUCTION)
# nginx sets X-Forwarded-Proto; trusted only behind that proxy (the app listens on 127.0.0.1).
if PRODUCTION or env_bool("BENVUNG_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("BENVUNG_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BENVUNG_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("BENVUNG_HSTS_PRELOAD", PRODUCTION)

# Content-Security-Policy (django-csp 4): only this server's own scripts, styles and images.
# No page has inline scripts, styles or handlers; the few library pages that render an inline
# block (the news editor's import map) receive a per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Sign-in throttling (django-axes): five failures for the same username from the same address
# lock that pair out for 15 minutes; every attempt is kept in the admin (Axes).
AXES_ENABLED = env_bool("BENVUNG_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind nginx (the only way in: gunicorn listens on a local socket) the client's address is
# X-Real-IP, which nginx overwrites with $remote_addr; a client cannot forge it.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_REAL_IP", "REMOTE_ADDR") if PRODUCTION else ("REMOTE_ADDR",)
)

# Two-factor sign-in (django-otp, TOTP): the issuer named in the authenticator app.
OTP_TOTP_ISSUER = os.environ.get("BENVUNG_OTP_ISSUER", "SXTDBV Sở Công Thương")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "benvung API",
    "DESCRIPTION": "Dữ liệu Kế hoạch hành động sản xuất và tiêu dùng bền vững (SXTDBV)",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from the sidecar package: no CDN, the docs work on an intranet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

EMAIL_BACKEND = os.environ.get(
    "BENVUNG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("BENVUNG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BENVUNG_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("BENVUNG_FROM_EMAIL", "benvung@localhost")
# Absolute links in e-mails (reminders) start with this address.
SITE_URL = os.environ.get("BENVUNG_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BENVUNG_LOG_LEVEL", "WARNING")},
    # Failed sign-ins, lockouts and two-factor events, whatever the general level.
    "loggers": {"benvung.security": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
