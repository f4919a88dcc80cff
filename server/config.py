"""Configuration read from the environment, with a zero-set-up SQLite default."""
import os
from datetime import timedelta

DEFAULT_SECRET = "dev-only-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    # None means "SQLite in the instance folder"; create_app fills it in.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    # hide_parameters: a logged database error must not carry note text or a CPR number.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    LEDSAGER_ENV = os.environ.get("LEDSAGER_ENV", "development")
    DEBUG = _bool("FLASK_DEBUG")

    # Sessions: cookie carries only a reference to a server-side LoginSession row.
    SESSION_COOKIE_NAME = "ledsager_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    IDLE_TIMEOUT_STAFF = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_STAFF_MIN", 15)))
    IDLE_TIMEOUT_CITIZEN = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_CITIZEN_MIN", 30)))
    ABSOLUTE_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = 3600
    WTF_CSRF_SSL_STRICT = False  # behind TLS-terminating proxies the Referer check breaks replays
    MAX_CONTENT_LENGTH = 256 * 1024

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    LANGUAGES = ["da", "en"]

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute; 50 per hour")

    WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "localhost")
    WEBAUTHN_RP_NAME = "Ledsager"
    WEBAUTHN_ORIGIN = os.environ.get("WEBAUTHN_ORIGIN", "http://localhost:5000")
    CHALLENGE_LIFETIME = timedelta(minutes=5)
    ENROLMENT_CODE_LIFETIME = timedelta(minutes=10)

    # The method's numbers (ICM manual); settings so a municipality can tune them.
    CASELOAD_CAP = int(os.environ.get("CASELOAD_CAP", 8))
    NOT_REACHED_DAYS = int(os.environ.get("NOT_REACHED_DAYS", 14))
    PLAN_REVIEW_MONTHS = int(os.environ.get("PLAN_REVIEW_MONTHS", 3))
    # The manual gives no number for "mostly in the home or a place the citizen chose".
    FIDELITY_HOME_SHARE = int(os.environ.get("FIDELITY_HOME_SHARE", 50))

    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY")
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:drift@ledsager.invalid")

    # Entries waiting on a phone longer than this are shown for review instead of replayed.
    OUTBOX_MAX_AGE_DAYS = int(os.environ.get("OUTBOX_MAX_AGE_DAYS", 30))
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", 183))
    CASE_RETENTION_DAYS = int(os.environ.get("CASE_RETENTION_DAYS", 5 * 365))


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    SESSION_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10000 per minute"  # rate-limit tests lower it themselves
    WEBAUTHN_ORIGIN = "http://localhost"
    SERVER_NAME = "localhost"
