"""Manual verification: a request to the help desk with the child's details and a document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.accounts.models import User
from portal.registry import AccessAction, AccessChannel, record_access
from portal.requests import filing, notify
from portal.requests.filing import Upload
from portal.requests.models import (
    OPEN_STATUSES,
    Request,
    RequestDocument,
    RequestEvent,
    RequestKind,
    RequestStatus,
)

from .models import Relationship

# A closed request stays on the dashboard this long, so the family sees how it ended.
SHOW_CLOSED_FOR = timedelta(days=30)


@dataclass(frozen=True)
class VerificationDetails:
    first_name: str
    middle_name: str | None
    last_name: str
    birth_date: date
    relationship: Relationship
    note: str | None


def submit_verification(
    db: Session,
    user: User,
    details: VerificationDetails,
    upload: Upload,
    *,
    upload_dir: Path,
    now: datetime,
) -> Request:
    request = Request(
        kind=RequestKind.VERIFICATION,
        status=RequestStatus.SUBMITTED,
        requester=user,
        patient=None,  # the help desk finds the record
        details={
            "first_name": details.first_name,
            "middle_name": details.middle_name or "",
            "last_name": details.last_name,
            "birth_date": details.birth_date.isoformat(),
            "relationship": details.relationship.value,
            "note": details.note or "",
        },
        created_at=now,
        updated_at=now,
    )
    db.add(request)
    filing.add_submitted(db, request, actor_id=user.id, now=now)
    filing.add_document(db, request, upload, upload_dir=upload_dir, now=now)
    notify.submitted(db, request)
    db.flush()
    return request


def verification_requests(db: Session, user: User, now: datetime) -> list[Request]:
    """The user's open verification requests, and those closed lately."""
    return list(
        db.scalars(
            sa.select(Request)
            .where(
                Request.requester_id == user.id,
                Request.kind == RequestKind.VERIFICATION,
                sa.or_(
                    Request.status.in_(list(OPEN_STATUSES)),
                    Request.closed_at > now - SHOW_CLOSED_FOR,
                ),
            )
            .options(selectinload(Request.events))
            .order_by(Request.created_at.desc())
        )
    )


def document_for_staff(db: Session, document_id: int) -> RequestDocument | None:
    return db.get(RequestDocument, document_id)


def log_document_view(db: Session, document: RequestDocument, staff: User, now: datetime) -> None:
    """A staff member opened a document: on the request's timeline (for the help desk, not
    the family), and in the record's access log once the help desk has found the record."""
    request = document.request
    db.add(
        RequestEvent(
            request_id=request.id,
            at=now,
            actor_id=staff.id,
            action="document_viewed",
            status=request.status,
            public=False,
        )
    )
    if request.patient is not None:
        record_access(
            db,
            request.patient,
            action=AccessAction.VIEW,
            channel=AccessChannel.PORTAL,
            user_id=staff.id,
            reason="verification document",
        )
    audit.record(
        db, actor=staff, action=audit.AuditAction.DOCUMENT_VIEWED, patient=request.patient,
        request=request, subject=document, now=now,
    )  # fmt: skip
    db.flush()
