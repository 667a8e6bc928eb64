"""A request filed by the help desk for a family who phoned, wrote, faxed or came in.

The request is the family's (its requester is the family's account, so it is on their
"My requests" and they answer it there); the channel and the agent who filed it are in
its details and on the first timeline entry.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.registry import Patient

from . import filing
from .filing import Upload
from .models import Request, RequestKind, RequestStatus

CHANNELS = ("phone", "mail", "fax", "in_person")


def file_for_family(
    db: Session,
    *,
    agent: User,
    family: User,
    kind: RequestKind,
    patient: Patient | None,
    channel: str,
    description: str,
    document: Upload | None,
    upload_dir: Path,
    now: datetime,
) -> Request:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    request = Request(
        kind=kind,
        status=RequestStatus.SUBMITTED,
        requester=family,
        patient=patient,
        details={
            "description": description,
            "channel": channel,
            "filed_by": agent.id,
            **({"relationship": "parent"} if kind is RequestKind.VERIFICATION else {}),
        },
        created_at=now,
        updated_at=now,
    )
    db.add(request)
    filing.add_submitted(db, request, actor_id=agent.id, now=now, note=description)
    if document is not None:
        filing.add_document(db, request, document, upload_dir=upload_dir, now=now)
    db.flush()
    return request
