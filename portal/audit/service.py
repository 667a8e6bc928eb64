"""Appending to the trail and reading it. Functions over a Session; they flush, never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import chain
from .actions import AuditAction
from .models import GENESIS_HASH, AuditEntry, AuditHead

HEAD_ID = 1


def _lock_head(db: Session) -> AuditHead:
    """The chain head, locked until the caller's transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE of its one row (made once; a racing first insert
    is absorbed by ON CONFLICT). SQLite has no row locks: the UPDATE takes the database's
    write lock before the head is read, so a second writer waits until the first commits.
    """
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        db.execute(
            insert(AuditHead)
            .values(id=HEAD_ID, last_id=0, last_hash=GENESIS_HASH)
            .on_conflict_do_nothing(index_elements=["id"])
        )
    else:
        touched = db.execute(
            sa.update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=AuditHead.last_id)
        )
        if not touched.rowcount:
            db.execute(sa.insert(AuditHead).values(id=HEAD_ID, last_id=0, last_hash=GENESIS_HASH))
    head = db.scalars(
        sa.select(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return head


def _subject(subject: Any) -> tuple[str | None, int | None]:
    if subject is None:
        return None, None
    if isinstance(subject, tuple):
        return subject[0], subject[1]
    return subject.__tablename__, subject.id


def record(
    db: Session,
    *,
    actor: Any | None,
    action: AuditAction | str,
    patient: Any | None = None,
    request: Any | None = None,
    subject: Any | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    now: datetime,
) -> AuditEntry:
    """Append one entry in the caller's transaction and flush it.

    `actor` is the staff User (None for the command line); `patient` and `request` the
    record and request it concerns; `subject` the object acted on (a model instance, or
    a `(table, id)` pair); `before`/`after` small JSON-able dicts (what an edit changed).
    Never put free text a family wrote, or a secret, in `before`/`after`.
    """
    subject_type, subject_id = _subject(subject)
    head = _lock_head(db)
    fields: dict[str, Any] = {
        "id": head.last_id + 1,
        "at": now,
        "actor_id": actor.id if actor is not None else None,
        "actor_email": actor.email if actor is not None else None,
        "action": str(action),
        "patient_id": patient.id if patient is not None else None,
        "request_id": request.id if request is not None else None,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "before": before,
        "after": after,
        "prev_hash": head.last_hash,
    }
    entry = AuditEntry(**fields, hash=chain.entry_hash(fields))
    db.add(entry)
    head.last_id, head.last_hash = entry.id, entry.hash
    db.flush()
    return entry


def verify(db: Session, *, batch: int = 1000) -> chain.ChainReport:
    """Walk the whole chain in id order, a batch at a time."""
    head = db.get(AuditHead, HEAD_ID)

    def entries() -> Any:
        after_id = 0
        while True:
            rows = db.scalars(
                sa.select(AuditEntry)
                .where(AuditEntry.id > after_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            yield from rows
            after_id = rows[-1].id
            db.expunge_all()

    return chain.walk(
        entries(),
        head_last_id=head.last_id if head else 0,
        head_last_hash=head.last_hash if head else GENESIS_HASH,
    )


PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    entries: Sequence[Any]
    next_before: int | None  # the keyset cursor of the next (older) page


def search(
    db: Session,
    *,
    patient_id: int | None = None,
    actor_id: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """Newest first, keyset paged on id: rows with the patient's registry id and names."""
    from portal.registry import Patient

    query = (
        sa.select(AuditEntry, Patient.registry_id)
        .outerjoin(Patient, AuditEntry.patient_id == Patient.id)
        .order_by(AuditEntry.id.desc())
        .limit(size + 1)
    )
    if patient_id is not None:
        query = query.where(AuditEntry.patient_id == patient_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = db.execute(query).all()
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[-1][0].id if more else None)
