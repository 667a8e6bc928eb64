"""A request filed by the help desk for a family who phoned, wrote, faxed or came in.

The request is the family's (its requester is the family's account, so it is on their
"My requests" and they answer it there); the channel and the agent who filed it are in
its details and on the first timeline entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.linking.documents import store_document
from portal.registry import Patient

from .models import Request, RequestDocument, RequestEvent, RequestKind, RequestStatus

CHANNELS = ("phone", "mail", "fax", "in_person")


@dataclass(frozen=True)
class Document:
    """An upload already accepted by `portal.linking.documents.check_document`."""

    filename: str
    data: bytes
    content_type: str


def file_for_family(
    db: Session,
    *,
    agent: User,
    family: User,
    kind: RequestKind,
    patient: Patient | None,
    channel: str,
    description: str,
    document: Document | None,
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
    db.add(
        RequestEvent(
            request=request,
            at=now,
            actor_id=agent.id,
            action="submitted",
            status=RequestStatus.SUBMITTED,
            note=description,
            public=True,
        )
    )
    if document is not None:
        stored_name, digest = store_document(db, upload_dir, document.data, document.content_type)
        name = document.filename.replace("\\", "/").rsplit("/", 1)[-1]
        db.add(
            RequestDocument(
                request=request,
                stored_name=stored_name,
                original_name="".join(c for c in name if c.isprintable())[:200] or "document",
                content_type=document.content_type,
                size=len(document.data),
                sha256=digest,
                created_at=now,
            )
        )
    db.flush()
    return request
