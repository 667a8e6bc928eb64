"""Revocation of our own cards, read from the issued-card table.

The rule is the same everywhere (our verifier, our CRL, anyone else's verifier
reading the CRL): only the newest card of a record is current. Issuance keeps
each record's `nbf` strictly increasing, so "older than the newest" is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .cards import crl_document
from .models import IssuedCard


def crl_versions(db: Session, kids: set[str]) -> dict[str, int]:
    """Each key's CRL counter: how many of its cards have been superseded. A card is
    revoked once, and each revocation is one update of that key's CRL, so the
    counter only grows. Keys with no revoked card have no CRL (and no crlVersion)."""
    rows = db.execute(
        sa.select(IssuedCard.kid, sa.func.count())
        .where(IssuedCard.kid.in_(kids), IssuedCard.revoked_at.is_not(None))
        .group_by(IssuedCard.kid)
    ).all()
    return {kid: count for kid, count in rows}


def _newest_cards(patient_ids: sa.Select[Any]) -> sa.Select[Any]:
    newest = (
        sa.select(IssuedCard.patient_id, sa.func.max(IssuedCard.nbf).label("nbf"))
        .where(IssuedCard.patient_id.in_(patient_ids))
        .group_by(IssuedCard.patient_id)
        .subquery()
    )
    return sa.select(
        IssuedCard.patient_id, IssuedCard.kid, IssuedCard.nbf, IssuedCard.revoked_at
    ).join(
        newest,
        sa.and_(IssuedCard.patient_id == newest.c.patient_id, IssuedCard.nbf == newest.c.nbf),
    )


def crl_for(db: Session, kid: str) -> dict[str, Any] | None:
    """The `/.well-known/crl/<kid>.json` document, or None while nothing is revoked.

    A record reprinted under the same key is listed as `rid.<nbf of its newest card>`
    (cards before it are revoked, the newest and later ones are not), or as
    `rid.<that nbf + 1>` once a printout without doses has replaced the newest card too.
    A record whose newest card is under another key is listed bare: all its cards
    under this key are older."""
    ctr = crl_versions(db, {kid}).get(kid, 0)
    if ctr == 0:
        return None
    revoked = sa.select(IssuedCard.patient_id, IssuedCard.rid).where(
        IssuedCard.kid == kid, IssuedCard.revoked_at.is_not(None)
    )
    rid_of = {patient_id: rid for patient_id, rid in db.execute(revoked.distinct()).all()}
    patients = revoked.with_only_columns(IssuedCard.patient_id).distinct()
    entries: dict[str, int | None] = {}
    for patient_id, newest_kid, newest_nbf, newest_revoked in db.execute(
        _newest_cards(patients)
    ).all():
        rid = rid_of[patient_id]
        if newest_kid != kid:
            entries[rid] = None
        elif newest_revoked is not None:
            # Replaced by a printout without a card: all its cards are revoked, but a
            # later card (nbf > newest, see issuance) must not be, so not a bare rid.
            entries[rid] = newest_nbf + 1
        else:
            entries[rid] = newest_nbf
    return crl_document(kid, ctr, sorted(entries.items()))


def revocation_check(db: Session) -> Callable[[str, str, int], bool]:
    """`revoked(kid, rid, nbf)` for the card verifier, answered from the database."""

    def revoked(kid: str, rid: str, nbf: int) -> bool:
        rows = db.execute(
            sa.select(IssuedCard.patient_id, IssuedCard.nbf, IssuedCard.revoked_at).where(
                IssuedCard.kid == kid, IssuedCard.rid == rid
            )
        ).all()
        if any(row.nbf == nbf and row.revoked_at is not None for row in rows):
            return True
        patient_ids = {row.patient_id for row in rows}
        if not patient_ids:
            return False
        newest = db.scalar(
            sa.select(sa.func.max(IssuedCard.nbf)).where(IssuedCard.patient_id.in_(patient_ids))
        )
        return newest is not None and nbf < newest

    return revoked
