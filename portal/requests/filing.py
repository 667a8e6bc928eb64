"""What every way of filing a request shares: its first timeline entry and its documents.

The family's forms (submit.py), manual verification (linking/manual.py) and the help
desk filing for a family (on_behalf.py) each make the request row their own way; the
"submitted" entry and a stored upload are made here, one way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from portal.linking.documents import store_document

from .models import Request, RequestDocument, RequestEvent, RequestStatus


@dataclass(frozen=True)
class Upload:
    """A document already checked by `portal.linking.documents` (sniff/check_document)."""

    filename: str
    data: bytes
    content_type: str


def display_name(filename: str) -> str:
    """The upload's own name, for staff to read only; never used as a path."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = "".join(c for c in name if c.isprintable())
    return cleaned[:200] or "document"


def add_submitted(
    db: Session, request: Request, *, actor_id: int, now: datetime, note: str | None = None
) -> RequestEvent:
    """The timeline's first entry, which the family sees."""
    event = RequestEvent(
        request=request,
        at=now,
        actor_id=actor_id,
        action="submitted",
        status=RequestStatus.SUBMITTED,
        note=note,
        public=True,
    )
    db.add(event)
    return event


def add_document(
    db: Session, request: Request, upload: Upload, *, upload_dir: Path, now: datetime
) -> RequestDocument:
    """Store the file under a random name and attach it to the request."""
    stored_name, digest = store_document(db, upload_dir, upload.data, upload.content_type)
    document = RequestDocument(
        request=request,
        stored_name=stored_name,
        original_name=display_name(upload.filename),
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=digest,
        created_at=now,
    )
    db.add(document)
    return document
