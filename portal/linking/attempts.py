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


def lockout_ends(
    db: Session, user: User, now: datetime, address_hash: str | None = None
) -> datetime | None:
    """When the lock-out from linking ends for this account (or its address), or None.

    An address gets a higher threshold than an account: several families may
    share one (a library, a clinic's guest network), but one person trying many
    accounts from it should still be stopped.
    """
    since = now - rules.LOCKOUT_WINDOW - rules.LOCKOUT_DURATION
    failed = sa.select(LinkAttempt.at).where(
        LinkAttempt.at > since, LinkAttempt.outcome.in_(list(FAILED_OUTCOMES))
    )
    ends = [rules.locked_out(db.scalars(failed.where(LinkAttempt.user_id == user.id)).all(), now)]
    if address_hash is not None:
        by_address = db.scalars(failed.where(LinkAttempt.address_hash == address_hash)).all()
        ends.append(rules.locked_out(by_address, now, threshold=rules.ADDRESS_LOCKOUT_FAILURES))
    return max((end for end in ends if end is not None), default=None)
