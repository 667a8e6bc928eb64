"""Revocation of our own cards: which cards a correction made wrong, and the CRL.

Two things are told apart, because a school acts differently on them:

* **Out of date**: a newer printout of the record exists. Every dose the older
  paper shows is still on the record (a printout made before a new dose was
  given simply shows fewer). It stays authentic; /verify, which reads the
  database, says that a newer printout exists. Nothing is published.
* **Revoked**: a correction or a deletion changed or removed a dose the card
  carries, so the paper states something the registry no longer holds.
  `revoke_cards_before` lists the record in the key's CRL as `rid.<point>`, so
  every verifier, ours or anyone's, refuses the cards printed before it.

So the published list grows with corrections, not with prints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.registry import Immunization, Patient

from .documents import rewrite_crl
from .models import CrlEntry, IssuedCard
from .points import next_point, upsert


def revoke_cards_before(
    db: Session, patient: Patient, now: datetime, *, point: int | None = None
) -> int:
    """Revoke every card of `patient` printed before now: call it in the transaction
    that corrects or deletes a dose (or the name or birth date). Returns the point;
    cards printed later get a later nbf and stay valid. Flushes, never commits."""
    point = next_point(db, patient.id, now) if point is None else point
    pairs = db.execute(
        sa.select(IssuedCard.kid, IssuedCard.rid)
        .where(IssuedCard.patient_id == patient.id, IssuedCard.nbf < point)
        .distinct()
    ).all()
    if not pairs:
        return point
    db.execute(
        sa.update(IssuedCard)
        .where(
            IssuedCard.patient_id == patient.id,
            IssuedCard.nbf < point,
            IssuedCard.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    table = CrlEntry.__table__
    for kid, rid in pairs:
        insert = upsert(db, table).values(
            kid=kid, rid=rid, patient_id=patient.id, before=point, revoked_at=now
        )
        db.execute(
            insert.on_conflict_do_update(
                index_elements=[table.c.kid, table.c.rid],
                set_={"before": insert.excluded.before, "revoked_at": now},
            )
        )
    for kid in sorted({kid for kid, _ in pairs}):
        rewrite_crl(db, kid)
    db.flush()
    return point


def cards_made_wrong(db: Session, patient_id: int) -> bool:
    """Whether a dose that a valid card carries has been changed or deleted since it
    was printed: it existed at the print and was updated after. A dose added after a
    print is not on that card, so it does not count."""
    card, dose = IssuedCard, Immunization
    return bool(
        db.scalar(
            sa.select(
                sa.exists().where(
                    card.patient_id == patient_id,
                    card.revoked_at.is_(None),
                    dose.patient_id == patient_id,
                    dose.created_at <= card.issued_at,
                    dose.updated_at > card.issued_at,
                )
            )
        )
    )


def revocation_check(db: Session) -> Callable[[str, str, int], bool]:
    """`revoked(kid, rid, nbf)` for the card verifier: one primary-key read."""

    def revoked(kid: str, rid: str, nbf: int) -> bool:
        before = db.scalar(
            sa.select(CrlEntry.before).where(CrlEntry.kid == kid, CrlEntry.rid == rid)
        )
        return before is not None and nbf < before

    return revoked


def newer_printout_exists(db: Session, patient_id: int, nbf: int) -> bool:
    """Whether the record was printed again after the card with this nbf."""
    newest = db.scalar(
        sa.select(sa.func.max(IssuedCard.nbf)).where(IssuedCard.patient_id == patient_id)
    )
    return newest is not None and newest > nbf


def crl_for(db: Session, kid: str) -> dict[str, Any] | None:
    """The stored CRL of key `kid` as a document, or None while nothing is revoked."""
    import json

    from .documents import stored_crl

    served = stored_crl(db, kid)
    return json.loads(served.body) if served else None
