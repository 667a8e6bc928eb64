"""Organizations' credentials for the exchange: create, revoke, check. No Flask here.

Each organization system has its own username and password (not shared between
organizations); only an argon2 hash is stored, as for accounts. Several may be valid
at once, so a system can switch to a new one before the old one is revoked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.passwords import hash_password, verify_password
from portal.registry.organizations import Organization

from .models import OrgCredential

PASSWORD_BYTES = 24  # 32 URL-safe characters, about 192 bits
USERNAME_MAX = 64


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
    or an inactive organization). An unknown username costs a hash check too."""
    credential = None
    if 0 < len(username) <= USERNAME_MAX:
        credential = session.scalar(sa.select(OrgCredential).where(
            OrgCredential.username == username, OrgCredential.revoked_at.is_(None)
        ))  # fmt: skip
    stored = credential.password_hash if credential is not None else None
    if not verify_password(stored, password) or credential is None:
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
