"""Luoshi settings: one file, read from the environment by small typed readers that fail loudly."""

import os
import secrets
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number (for example {name}={default})."
        ) from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is too small: it must be at least {minimum}.")
    return value


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DATA_DIR = Path(env_str("LUOSHI_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DEBUG = env_bool("LUOSHI_DEBUG", False)
PRODUCTION = env_bool("LUOSHI_PRODUCTION", False)
if PRODUCTION and DEBUG:
    # Debug pages would show tracebacks, settings and every URL to anyone on the internet.
    raise ImproperlyConfigured("LUOSHI_DEBUG=true is refused with LUOSHI_PRODUCTION=true.")


def _secret_key() -> str:
    """The key from the environment; on a workstation without one, a key kept in the data folder."""
    key = os.environ.get("LUOSHI_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("LUOSHI_SECRET_KEY is required when LUOSHI_PRODUCTION=true.")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("LUOSHI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")


def _origins_of(hosts: list[str]) -> list[str]:
    """The HTTPS origins of the allowed hosts, so a form posted through the proxy passes the Origin check."""
    return [
        f"https://*{host}" if host.startswith(".") else f"https://{host}" for host in hosts if host != "*"
    ]


CSRF_TRUSTED_ORIGINS = [*_origins_of(ALLOWED_HOSTS), *env_list("LUOSHI_CSRF_TRUSTED_ORIGINS", "")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "luoshi.core",
    "luoshi.orgs",
    "luoshi.plans",
    "luoshi.progress",
    "luoshi.indicators",
    "luoshi.projects",
    "luoshi.documents",
    "luoshi.schedule",
    "luoshi.messaging",
    "luoshi.reminders",
    "luoshi.inbox",
    "luoshi.scoring",
    "luoshi.commitments",
    "luoshi.activities",
    "luoshi.supervision",
    "luoshi.bulletins",
    "luoshi.notices",
    "luoshi.hooks",
    "luoshi.cockpit",
    "luoshi.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "luoshi.core.maintenance.MaintenanceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "luoshi.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "luoshi.core.middleware.IdleTimeoutMiddleware",
    "luoshi.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "luoshi.urls"
WSGI_APPLICATION = "luoshi.wsgi.application"
AUTH_USER_MODEL = "orgs.Person"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
            ],
        },
    },
]


def database(url: str) -> dj_database_url.DBConfig:
    """The database settings for a URL, with the options Luoshi runs each engine with."""
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so two writers never interleave read-then-write. WAL
        # (write-ahead log): readers and the one writer no longer wait for each other (issue 13's load test:
        # a report being saved held up every page read behind it); the mode is kept in the file.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL",
        }
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles every query it estimates as large, such as the recursive rollups,
        # at 0.2–0.9 s each, and gains nothing back on queries of this size (issue 13): off for our
        # connections, whatever the server's default.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {"default": database(env_str("LUOSHI_DATABASE_URL", f"sqlite:///{DATA_DIR / 'luoshi.sqlite3'}"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username and address before the password check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
#: Login throttling (django-axes): after 5 failures for one username from one address, 15 minutes' wait.
AXES_FAILURE_LIMIT = env_int("LUOSHI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "luoshi.core.middleware.client_ip"
AXES_WHITELIST_CALLABLE = "luoshi.sso.oidc.checks_no_password"  # the platform throttles its own passwords
# Single sign-on beside the local password (docs/sso.md). Each is off until its first variable is set.
#: The Person field an outside identity is matched to; the identity gives no powers of its own.
SSO_PERSON_FIELDS = ("username", "email", "phone")


def env_person_field(name: str) -> str:
    value = env_str(name, "username")
    if value not in SSO_PERSON_FIELDS:
        raise ImproperlyConfigured(f"{name}={value!r}: use one of {', '.join(SSO_PERSON_FIELDS)}.")
    return value


def env_required_with(name: str, switch: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} is required when {switch} is set (see docs/sso.md).")
    return value


#: OpenID Connect (a province's 统一身份认证 platform, or WeCom / DingTalk where the tenant offers it).
OIDC_ENABLED = bool(os.environ.get("LUOSHI_OIDC_CLIENT_ID"))
if OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env_str("LUOSHI_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_required_with("LUOSHI_OIDC_CLIENT_SECRET", "LUOSHI_OIDC_CLIENT_ID")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_required_with(
        "LUOSHI_OIDC_AUTHORIZATION_ENDPOINT", "LUOSHI_OIDC_CLIENT_ID"
    )
    OIDC_OP_TOKEN_ENDPOINT = env_required_with("LUOSHI_OIDC_TOKEN_ENDPOINT", "LUOSHI_OIDC_CLIENT_ID")
    OIDC_OP_USER_ENDPOINT = env_required_with("LUOSHI_OIDC_USERINFO_ENDPOINT", "LUOSHI_OIDC_CLIENT_ID")
    OIDC_OP_JWKS_ENDPOINT = env_required_with("LUOSHI_OIDC_JWKS_ENDPOINT", "LUOSHI_OIDC_CLIENT_ID")
    OIDC_RP_SIGN_ALGO = env_str("LUOSHI_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = env_str("LUOSHI_OIDC_SCOPES", "openid profile")
    OIDC_USE_PKCE = env_bool("LUOSHI_OIDC_PKCE", True)
    OIDC_VERIFY_SSL = env_str("LUOSHI_OIDC_CA_BUNDLE", "") or True  # a path: the platform's own CA
    OIDC_TIMEOUT = 10
OIDC_CLAIM = env_str("LUOSHI_OIDC_CLAIM", "preferred_username")
OIDC_PERSON_FIELD = env_person_field("LUOSHI_OIDC_PERSON_FIELD")
#: The sign-in button's words; empty means "统一身份认证登录" in the page's language.
OIDC_BUTTON_LABEL = env_str("LUOSHI_OIDC_BUTTON_LABEL", "")
OIDC_CREATE_USER = False  # never: a first login with no matching Person is refused (luoshi/sso/oidc.py)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

#: LDAP or Active Directory: the login form's password is checked by the directory.
LDAP_ENABLED = bool(os.environ.get("LUOSHI_LDAP_SERVER_URI"))
if LDAP_ENABLED:
    AUTH_LDAP_SERVER_URI = env_str("LUOSHI_LDAP_SERVER_URI")
    AUTH_LDAP_BIND_DN = env_str("LUOSHI_LDAP_BIND_DN", "")
    AUTH_LDAP_BIND_PASSWORD = env_str("LUOSHI_LDAP_BIND_PASSWORD", "")
    AUTH_LDAP_USER_DN_TEMPLATE = env_str("LUOSHI_LDAP_USER_DN_TEMPLATE", "") or None
    AUTH_LDAP_START_TLS = env_bool("LUOSHI_LDAP_START_TLS", False)
    try:
        import ldap
        from django_auth_ldap.config import LDAPSearch
    except ImportError as error:
        raise ImproperlyConfigured(
            "LUOSHI_LDAP_SERVER_URI needs the ldap extra: pip install 'luoshi[ldap]' "
            "(python-ldap builds against Debian's libldap2-dev and libsasl2-dev)."
        ) from error
    if AUTH_LDAP_USER_DN_TEMPLATE is None:
        AUTH_LDAP_USER_SEARCH = LDAPSearch(
            env_required_with("LUOSHI_LDAP_USER_SEARCH_BASE", "LUOSHI_LDAP_SERVER_URI"),
            ldap.SCOPE_SUBTREE,
            env_str("LUOSHI_LDAP_USER_FILTER", "(uid=%(user)s)"),
        )
    AUTH_LDAP_CONNECTION_OPTIONS = {}
    if ca_file := env_str("LUOSHI_LDAP_CA_FILE", ""):
        AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_X_TLS_CACERTFILE: ca_file, ldap.OPT_X_TLS_NEWCTX: 0}
LDAP_ATTRIBUTE = env_str("LUOSHI_LDAP_ATTRIBUTE", "uid")
LDAP_PERSON_FIELD = env_person_field("LUOSHI_LDAP_PERSON_FIELD")
AUTH_LDAP_NO_NEW_USERS = True  # never: a directory account with no matching Person is refused
AUTH_LDAP_ALWAYS_UPDATE_USER = False  # Luoshi's people, units and roles are kept in Luoshi
AUTHENTICATION_BACKENDS += [
    *(["luoshi.sso.oidc.PersonOIDCBackend"] if OIDC_ENABLED else []),
    *(["luoshi.sso.ldap.PersonLDAPBackend"] if LDAP_ENABLED else []),
]
#: A signed-in page left alone this long asks for the password again.
SESSION_IDLE_SECONDS = env_int("LUOSHI_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
#: API tokens issued from now on expire after this many days.
API_TOKEN_DAYS = env_int("LUOSHI_API_TOKEN_DAYS", 180, minimum=1)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("LUOSHI_TIME_ZONE", "Asia/Shanghai")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(
        f"LUOSHI_TIME_ZONE={TIME_ZONE!r} is not a time zone (for example Asia/Shanghai)."
    )
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
#: The import review posts about 30 fields per KB of plan text (the sample speech 447, a 90 KB plan 2,665);
#: 20,000 covers plans of about 600 KB, while DATA_UPLOAD_MAX_MEMORY_SIZE still bounds the request.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

#: The address people use to reach Luoshi, for links in e-mails and group-robot messages.
SITE_URL = env_str("LUOSHI_SITE_URL", "http://localhost:8000")

EMAIL_BACKEND = env_str("LUOSHI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"  # where the file backend (used by the demo) writes each message
EMAIL_HOST = env_str("LUOSHI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("LUOSHI_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("LUOSHI_EMAIL_FROM", "luoshi@localhost")


def env_agent_id(name: str) -> int | None:
    raw = env_str(name, "")
    if raw and not raw.isdecimal():
        raise ImproperlyConfigured(f"{name}={raw!r} is not an agent id (digits only).")
    return int(raw) if raw else None


#: Messages to one person through the office's WeCom app (企业微信应用消息): on when all three are set.
WECOM_CORP_ID = env_str("LUOSHI_WECOM_CORP_ID", "")
WECOM_CORP_SECRET = env_str("LUOSHI_WECOM_CORP_SECRET", "")
WECOM_AGENT_ID = env_agent_id("LUOSHI_WECOM_AGENT_ID")
WECOM_API = env_str("LUOSHI_WECOM_API", "https://qyapi.weixin.qq.com")
#: … and DingTalk work notifications (钉钉工作通知) from the office's internal app.
DINGTALK_APP_KEY = env_str("LUOSHI_DINGTALK_APP_KEY", "")
DINGTALK_APP_SECRET = env_str("LUOSHI_DINGTALK_APP_SECRET", "")
DINGTALK_AGENT_ID = env_agent_id("LUOSHI_DINGTALK_AGENT_ID")
DINGTALK_API = env_str("LUOSHI_DINGTALK_API", "https://oapi.dingtalk.com")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
#: Pages load nothing from outside; inline style attributes draw the progress bars, no inline script runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
#: Behind the reverse proxy that ends HTTPS: believe its X-Forwarded-Proto (`luoshi serve` passes the header
#: on only from LUOSHI_PROXY_IPS). Off when Luoshi faces browsers directly, so nobody can claim HTTPS.
TRUST_PROXY_HEADER = env_bool("LUOSHI_TRUST_X_FORWARDED_PROTO", PRODUCTION)
PROXY_IPS = env_list("LUOSHI_PROXY_IPS", "127.0.0.1,::1")
if TRUST_PROXY_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("LUOSHI_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("LUOSHI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LUOSHI_LOG_LEVEL", "WARNING", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
    },
}
