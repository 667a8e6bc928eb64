"""Filing a request from the family's pages: once per form, one pending lock/unlock per record.

The form carries a random token (a hidden field); (requester, token) is unique, so a
second post of the same form (two clicks, a resent page) finds the first request instead
of making another; a partial unique index keeps one open lock/unlock per record. The
insert runs in a savepoint: when two posts race, the loser's
unique violation rolls back only the savepoint, and it returns the winner's request.
An evidence file is stored only after the request row exists, so a lost race leaves none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.registry.patients import Patient

from . import filing, notify
from .filing import Upload
from .models import OPEN_STATUSES, Request, RequestKind

SHARING_KINDS = (RequestKind.LOCK, RequestKind.UNLOCK)


class SharingPending(Exception):  # noqa: N818 - reads as the situation
    """The record already has an open lock or unlock request."""


@dataclass(frozen=True)
class Filed:
    request: Request
    created: bool  # False: this form was sent before, and here is what it made


def by_token(db: Session, user: User, token: str) -> Request | None:
    return db.scalars(
        sa.select(Request).where(
            Request.requester_id == user.id, Request.idempotency_token == token
        )
    ).first()


def pending_sharing_request(db: Session, patient: Patient) -> Request | None:
    """The record's open lock or unlock request, whoever filed it (two parents, one child)."""
    return db.scalars(
        sa.select(Request)
        .where(
            Request.patient_id == patient.id,
            Request.kind.in_(list(SHARING_KINDS)),
            Request.status.in_(list(OPEN_STATUSES)),
        )
        .order_by(Request.id)
    ).first()


def sharing_kind_for(patient: Patient) -> RequestKind:
    """What the family can ask for: a shared record can be locked, a locked one unlocked."""
    return RequestKind.LOCK if patient.shared else RequestKind.UNLOCK


def file_request(
    db: Session,
    user: User,
    kind: RequestKind,
    *,
    patient: Patient,
    details: dict[str, Any],
    token: str,
    now: datetime,
    upload: Upload | None = None,
    upload_dir: Path | None = None,
) -> Filed:
    """File a request about `patient` (already checked to be the user's), once per token.

    A lock or unlock is refused with SharingPending while another is open for the record.
    """
    earlier = by_token(db, user, token)
    if earlier is not None:
        return Filed(earlier, created=False)
    if kind in SHARING_KINDS and pending_sharing_request(db, patient) is not None:
        raise SharingPending()
    request = Request(
        kind=kind,
        requester=user,
        patient_id=patient.id,
        details=details,
        idempotency_token=token,
        created_at=now,
        updated_at=now,
    )
    try:
        with db.begin_nested():
            db.add(request)
            db.flush()
    except IntegrityError:
        # Another post won the race: the same form (its token), or another lock/unlock
        # of the record (the partial unique index on open sharing requests).
        earlier = by_token(db, user, token)
        if earlier is not None:
            return Filed(earlier, created=False)
        if kind in SHARING_KINDS and pending_sharing_request(db, patient) is not None:
            raise SharingPending() from None
        raise
    filing.add_submitted(db, request, actor_id=user.id, now=now)
    if upload is not None and upload_dir is not None:
        filing.add_document(db, request, upload, upload_dir=upload_dir, now=now)
    notify.submitted(db, request)
    db.flush()
    return Filed(request, created=True)
