"""Settings, read from PORTAL_* environment variables.

Every setting has a key in DEFAULTS; ``PORTAL_<KEY>`` in the environment
overrides it, and the mapping given to ``create_app`` overrides both.
There is no fallback secret: outside the demo and the tests the app refuses
to start without ``PORTAL_SECRET_KEY``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from portal.languages import CODES

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # required; the demo sets a SQLite file in instance/
    "SECRET_KEY": None,
    "DEMO": False,
    "TESTING": False,
    "SMTP_URL": None,  # smtp+starttls://user:pass@host:port, or smtps:// for TLS
    "SMTP_ALLOW_PLAIN": False,  # true: smtp:// (unencrypted) is meant, e.g. a relay on this host
    "MAIL_FROM": "Immunization Registry <no-reply@registry.example>",
    "REDIS_URL": None,  # rate-limit storage shared by several app servers; required in production
    "SINGLE_PROCESS": False,  # true: one process serves alone, limits in memory (no Redis)
    "PROXY_COUNT": 0,  # trusted reverse proxies in front of the app
    "ISSUER_URL": "http://127.0.0.1:5000",  # public base URL; the health-card issuer
    "CARD_SIGNING_KEY": None,  # private ES256 JWK (JSON) or a path to one
    "CARD_PREVIOUS_KEYS": None,  # retired public keys still verifying old cards: JWKS JSON or path
    "CARD_KEY_ROTATION_DAYS": 365,  # `portal rotate-card-key --if-due` rotates keys this old
    "UPLOAD_DIR": None,  # where verification documents are stored; default instance/uploads
    "GUARDIAN_LINK_AGE": 18,  # a guardian's link ends on the child's birthday at this age
    "SESSION_IDLE_MINUTES": 30,
    "STAFF_SESSION_IDLE_MINUTES": 15,
    "SESSION_LIFETIME_HOURS": 12,  # then sign in again, however busy (NIST SP 800-63B AAL2)
    "HELPDESK_PHONE": "1-800-555-0199",
    "HELPDESK_EMAIL": "helpdesk@registry.example",
    "LANGUAGES": CODES,  # portal/languages.py
    "OUTBOX_RETENTION_DAYS": 30,  # sent messages (bodies already cleared) are then deleted
    # `portal purge` (portal/retention.py) deletes these rows after so many days:
    "LINK_ATTEMPT_RETENTION_DAYS": 180,  # link attempts (never under the lock-out's 2 days)
    "SESSION_RETENTION_DAYS": 7,  # sessions, counted from sign-in (never under the lifetime)
    "CODE_RETENTION_DAYS": 30,  # one-time codes, access codes, invitations, after they expire
    "REMINDER_MARKER_RETENTION_DAYS": 30,  # reminders-sent markers, after their link ended
    "RECORD_PAGE_CACHE": 256,  # record pages' rendered sections kept per process; 0: none
    "FORECAST_DATA": None,  # a newer CDC CDSi release converted by portal.forecast.convert
}

_BOOLEAN = {"DEMO", "TESTING", "SMTP_ALLOW_PLAIN", "SINGLE_PROCESS"}
_INTEGER = {
    "PROXY_COUNT",
    "GUARDIAN_LINK_AGE",
    "SESSION_IDLE_MINUTES",
    "STAFF_SESSION_IDLE_MINUTES",
    "SESSION_LIFETIME_HOURS",
    "OUTBOX_RETENTION_DAYS",
    "LINK_ATTEMPT_RETENTION_DAYS",
    "SESSION_RETENTION_DAYS",
    "CODE_RETENTION_DAYS",
    "REMINDER_MARKER_RETENTION_DAYS",
    "CARD_KEY_ROTATION_DAYS",
    "RECORD_PAGE_CACHE",
}


def _parse(key: str, raw: str) -> Any:
    if key == "LANGUAGES":
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if key in _BOOLEAN:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if key in _INTEGER:
        return int(raw)
    return raw


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The PORTAL_* variables that name a known setting, parsed."""
    found: dict[str, Any] = {}
    for key in DEFAULTS:
        raw = environ.get(f"PORTAL_{key}")
        if raw is not None and raw != "":
            found[key] = _parse(key, raw)
    return found


def build(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the environment, then explicit overrides; checked."""
    settings = dict(DEFAULTS)
    settings.update(from_environment(os.environ))
    if overrides:
        settings.update(overrides)
    check(settings)
    settings.update(_flask_settings(settings))
    return settings


def check(settings: Mapping[str, Any]) -> None:
    if not settings.get("DATABASE_URL"):
        raise RuntimeError("PORTAL_DATABASE_URL is not set.")
    relaxed = settings.get("DEMO") or settings.get("TESTING")
    secret = settings.get("SECRET_KEY")
    if not secret and not relaxed:
        raise RuntimeError("PORTAL_SECRET_KEY is not set; the portal will not start without it.")
    if secret and len(secret) < 32 and not relaxed:
        raise RuntimeError("PORTAL_SECRET_KEY must be at least 32 characters.")
    if not settings.get("REDIS_URL") and not settings.get("SINGLE_PROCESS") and not relaxed:
        # In memory, each gunicorn worker and each server counts its own tries: with four
        # workers a limit of 10 a minute let 37 of 44 sign-ins through.
        raise RuntimeError(
            "PORTAL_REDIS_URL is not set: rate limits must be shared by every worker and "
            "server. Set PORTAL_SINGLE_PROCESS=true only when one process serves alone."
        )
    if plain_smtp_refused(settings):
        raise RuntimeError(PLAIN_SMTP_REFUSED)


PLAIN_SMTP_REFUSED = (
    "PORTAL_SMTP_URL is smtp://, which sends mail and the mail password unencrypted: use "
    "smtp+starttls:// or smtps://, or set PORTAL_SMTP_ALLOW_PLAIN=true for a relay that "
    "cannot be read on the way (e.g. on this host)."
)


def plain_smtp_refused(settings: Mapping[str, Any]) -> bool:
    """smtp:// without STARTTLS, outside the demo and the tests, and not allowed on purpose."""
    url = settings.get("SMTP_URL") or ""
    plain = url.split(":", 1)[0].strip().lower() == "smtp"
    relaxed = settings.get("DEMO") or settings.get("TESTING") or settings.get("SMTP_ALLOW_PLAIN")
    return plain and not relaxed


def _flask_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    production = not (settings.get("DEMO") or settings.get("TESTING"))
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=settings["SESSION_LIFETIME_HOURS"]),
        "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,  # a 10 MB document plus the form around it
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "America/Los_Angeles",
        "RATELIMIT_STORAGE_URI": settings.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
    }
