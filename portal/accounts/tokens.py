"""Signed links sent by email: confirm an address, reset a password (no Flask here).

A token carries only ids and fingerprints, never the address: its payload is
signed, not encrypted, and links end up in proxy logs and browser history.
Each kind has its own salt so that one kind can never be replayed as another.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.orm import utcnow

from .models import User

CONFIRM_SALT = "portal.accounts.confirm-email"
RESET_SALT = "portal.accounts.reset-password"
CONFIRM_MAX_AGE = timedelta(days=3)
RESET_MAX_AGE = timedelta(hours=1)


class TokenError(Exception):
    """The link is not valid; ``expired`` says whether it was once valid and ran out."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(secret: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret, salt=salt, signer_kwargs={"digest_method": hashlib.sha256}
    )


def _load(secret: str, salt: str, token: str, max_age: timedelta, now: datetime | None) -> Any:
    try:
        payload, signed_at = _serializer(secret, salt).loads(token, return_timestamp=True)
    except BadSignature as exc:
        raise TokenError() from exc
    if (now or utcnow()) - signed_at > max_age:
        raise TokenError(expired=True)
    if not isinstance(payload, dict):
        raise TokenError()
    return payload


def email_fingerprint(secret: str, email: str) -> str:
    """Binds a link to the address it was sent to; keyed, so no one can test guesses."""
    mac = hmac.new(secret.encode(), f"{CONFIRM_SALT}|{email}".encode(), hashlib.sha256)
    return mac.hexdigest()[:24]


def confirm_token(secret: str, user: User) -> str:
    return _serializer(secret, CONFIRM_SALT).dumps(
        {"u": user.id, "e": email_fingerprint(secret, user.email)}
    )


def read_confirm_token(secret: str, token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, email fingerprint) bound in a confirmation link; raises TokenError."""
    payload = _load(secret, CONFIRM_SALT, token, CONFIRM_MAX_AGE, now)
    return int(payload.get("u", 0)), str(payload.get("e", ""))


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a reset link dies once it has been used."""
    material = f"{user.password_hash}|{user.password_changed_at.isoformat()}"
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def reset_token(secret: str, user: User) -> str:
    return _serializer(secret, RESET_SALT).dumps({"u": user.id, "f": password_fingerprint(user)})


def read_reset_token(secret: str, token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, password fingerprint) bound in a reset link; raises TokenError."""
    payload = _load(secret, RESET_SALT, token, RESET_MAX_AGE, now)
    return int(payload.get("u", 0)), str(payload.get("f", ""))
