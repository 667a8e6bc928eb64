"""The attempts log and the lock-out it drives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.registry import Patient

from . import rules
from .models import FAILED_OUTCOMES, AttemptOutcome, LinkAttempt, LinkMethod


@dataclass(frozen=True)
class Client:
    """Who is trying, as the services need it: the account, the hashed address, the secret."""

    user: User
    secret: bytes
    address: str | None = None

    @property
    def address_hash(self) -> str | None:
        return rules.address_fingerprint(self.secret, self.address)


def record_attempt(
    db: Session,
    client: Client,
    *,
    method: LinkMethod,
    outcome: AttemptOutcome,
    now: datetime,
    details_hmac: str | None = None,
    patient: Patient | None = None,
) -> LinkAttempt:
    attempt = LinkAttempt(
        user_id=client.user.id,
        at=now,
        method=method,
        outcome=outcome,
        details_hmac=details_hmac,
        address_hash=client.address_hash,
        patient_id=patient.id if patient is not None else None,
    )
    db.add(attempt)
    db.flush()
    return attempt


def lockout_ends(db: Session, user: User, now: datetime) -> datetime | None:
    """When the account's lock-out from linking ends, or None when it is not locked out."""
    since = now - rules.LOCKOUT_WINDOW - rules.LOCKOUT_DURATION
    failures = db.scalars(
        sa.select(LinkAttempt.at).where(
            LinkAttempt.user_id == user.id,
            LinkAttempt.at > since,
            LinkAttempt.outcome.in_(list(FAILED_OUTCOMES)),
        )
    ).all()
    return rules.locked_out(failures, now)
