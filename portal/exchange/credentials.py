"""Organizations' credentials for the exchange: create, revoke, check. No Flask here.

Each organization system has its own username and password (not shared between
organizations); only an argon2 hash is stored, as for accounts. Several may be valid
at once, so a system can switch to a new one before the old one is revoked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.passwords import hash_password, verify_password
from portal.registry.organizations import Organization

from .models import OrgCredential

PASSWORD_BYTES = 24  # 32 URL-safe characters, about 192 bits
USERNAME_MAX = 64

# argon2 costs tens of milliseconds by design, and a system sends one message per request:
# a password that verified once is remembered, in this process only, as an HMAC under a
# key that lives and dies with the process (never the password, nor its argon2 hash).
# The credential's row is still read on every request, so a revocation counts at once.
_VERIFIED: OrderedDict[int, bytes] = OrderedDict()
_VERIFIED_MAX = 1024
_PROCESS_KEY = secrets.token_bytes(32)


def _tag(credential: OrgCredential, password: str) -> bytes:
    message = f"{credential.id}\x00{credential.password_hash}\x00{password}".encode()
    return hmac.new(_PROCESS_KEY, message, hashlib.sha256).digest()


def _verified(credential: OrgCredential | None, password: str) -> bool:
    if credential is None:
        verify_password(None, password)  # an unknown username costs as much
        return False
    tag = _tag(credential, password)
    known = _VERIFIED.get(credential.id)
    if known is not None and hmac.compare_digest(known, tag):
        _VERIFIED.move_to_end(credential.id)
        return True
    if not verify_password(credential.password_hash, password):
        return False
    _VERIFIED[credential.id] = tag
    while len(_VERIFIED) > _VERIFIED_MAX:
        _VERIFIED.popitem(last=False)
    return True


@dataclass(frozen=True, slots=True)
class Issued:
    username: str
    password: str  # shown once, never stored


def new_username(identifier: str, token: str) -> str:
    """`cair-0001-3f9a2c`: the organization's code and a random part (several may exist)."""
    base = "".join(c if c.isalnum() or c == "-" else "-" for c in identifier.lower())
    return f"{base[: USERNAME_MAX - len(token) - 1]}-{token}"


def create_credential(session: Session, organization: Organization, *, now: datetime,
                      token: str | None = None, password: str | None = None) -> Issued:  # fmt: skip
    """A new credential; `token` and `password` random unless given (the demo's are derived
    from its secret so that a rerun prints the same ones)."""
    username = new_username(organization.identifier, token or secrets.token_hex(4))
    password = password or secrets.token_urlsafe(PASSWORD_BYTES)
    session.add(OrgCredential(organization=organization, username=username,
                              password_hash=hash_password(password), created_at=now))  # fmt: skip
    session.flush()
    return Issued(username, password)


def revoke_credential(session: Session, organization: Organization, username: str, *,
                      now: datetime) -> bool:  # fmt: skip
    """Revoke one of the organization's credentials; False when it has none of that name."""
    credential = session.scalar(sa.select(OrgCredential).where(
        OrgCredential.organization_id == organization.id, OrgCredential.username == username,
        OrgCredential.revoked_at.is_(None),
    ))  # fmt: skip
    if credential is None:
        return False
    credential.revoked_at = now
    session.flush()
    return True


def authenticate(session: Session, username: str, password: str) -> Organization | None:
    """The organization whose valid credential this is, or None (unknown, wrong, revoked,
    or an inactive organization). An unknown username costs a hash check too; a wrong
    password for a known one always does (only a password that verified is remembered)."""
    credential = None
    if 0 < len(username) <= USERNAME_MAX:
        credential = session.scalar(sa.select(OrgCredential).where(
            OrgCredential.username == username, OrgCredential.revoked_at.is_(None)
        ))  # fmt: skip
    if not _verified(credential, password) or credential is None:
        return None
    organization = credential.organization
    return organization if organization.active else None


def username_organization(session: Session, username: str) -> int | None:
    """The organization id a username names (for the per-organization rate limit)."""
    if not 0 < len(username) <= USERNAME_MAX:
        return None
    return session.scalar(
        sa.select(OrgCredential.organization_id).where(OrgCredential.username == username)
    )
