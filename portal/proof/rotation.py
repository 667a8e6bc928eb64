"""Rotating the card signing key: keys made by `portal rotate-card-key`, kept in the database.

Why the database, and not a key directory or the settings: every app server must
switch to the new key at the same moment and keep publishing the old public key,
and the database is the one thing they all share (a directory would need shared
storage; a setting a redeploy of every server). The private part is sealed with
AES-256-GCM under a key derived from SECRET_KEY, as staff TOTP secrets are
(accounts/sealing.py), so a database dump alone cannot sign cards.

It fits the settings: PORTAL_CARD_SIGNING_KEY stays the first key. Once a rotation
has stored a key, the newest stored key signs and the configured key (and every
older stored one) only verifies. A retired key's private part is destroyed, as the
spec requires; its public part stays in the JWKS so older printouts verify.
Plain functions over a Session (no Flask); they flush, the caller commits.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.sealing import SecretBox

from .cards import generate_key, public_jwk, thumbprint
from .keyring import Keyring
from .models import CardKey

SEAL_PURPOSE = "portal.proof.card-signing-key"


def card_key_box(secret_key: str | None) -> SecretBox:
    return SecretBox(secret_key, purpose=SEAL_PURPOSE)


def stored_keys(db: Session) -> list[CardKey]:
    """Rotated keys, oldest first: one row per rotation period, so a handful."""
    return list(db.scalars(sa.select(CardKey).order_by(CardKey.created_at, CardKey.kid)))


def with_stored_keys(base: Keyring, rows: list[CardKey], box: SecretBox) -> Keyring:
    """The settings' keyring with the rotated keys: the newest one signs."""
    signing = next((row for row in reversed(rows) if row.private_sealed), None)
    if signing is None:
        return base
    retired = [public_jwk(base.signing_key), *base.previous_keys]
    retired += [json.loads(row.public_jwk) for row in rows if row is not signing]
    key = json.loads(box.open(signing.private_sealed))
    return replace(base, signing_key=key, previous_keys=tuple(retired))


def current_key_age(base: Keyring, rows: list[CardKey], now: datetime) -> timedelta | None:
    """How old the signing key is; None for a configured key (its age is not known)."""
    signing = next((row for row in reversed(rows) if row.private_sealed), None)
    return None if signing is None else now - signing.created_at


def rotate(db: Session, box: SecretBox, now: datetime) -> str:
    """Make a new signing key current and destroy the private part of the one it
    replaces (the public part stays published). Returns the new kid."""
    key = generate_key()
    for row in db.scalars(sa.select(CardKey).where(CardKey.private_sealed.is_not(None))):
        row.private_sealed = None
        row.retired_at = now
    db.add(
        CardKey(
            kid=thumbprint(key),
            public_jwk=json.dumps(public_jwk(key)),
            private_sealed=box.seal(json.dumps(key)),
            created_at=now,
        )
    )
    db.flush()
    return thumbprint(key)


def rotation_due(age: timedelta | None, period_days: int) -> bool:
    """A configured key (age unknown) is due at once, so that the schedule starts."""
    return age is None or age >= timedelta(days=period_days)
