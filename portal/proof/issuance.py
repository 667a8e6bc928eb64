"""Sign a new health card for a record; revoke older cards only when a correction made them wrong.

Plain functions over a Session (no Flask); they flush, the caller commits. The
caller has already checked that the user may print this record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.registry import Immunization, Organization, Patient
from portal.registry.vaccines import lookup

from .cards import (
    DEFAULT_TYPES,
    CardDose,
    CardPatient,
    build_bundle,
    hash_short_code,
    jws_to_qr_chunks,
    new_short_code,
    record_rid,
    sign_card,
    thumbprint,
)
from .cards.payload_check import COVID19, COVID_CVX
from .cards.qr import MAX_SINGLE_JWS
from .crl import cards_made_wrong, revoke_cards_before
from .models import IssuedCard
from .points import next_point


class NothingToPrint(ValueError):  # noqa: N818 - reads as the situation, not as a failure
    """The record has no doses, and a health card must hold at least one."""


@dataclass(frozen=True)
class IssuedProof:
    """What the printed record shows. `short_code` exists only here: the database keeps
    its hash, so it cannot be printed again later."""

    qr_chunks: list[str]
    short_code: str
    issued_at: datetime
    kid: str
    rid: str
    nbf: int
    card_id: int


def card_contents(db: Session, patient: Patient) -> tuple[CardPatient, list[CardDose]]:
    """The person and the doses the card carries: name, birth date, and each dose's
    vaccine, date and who gave it. Never address, phone or guardian."""
    # Plain rows: loading each dose and its organization as objects cost more than the rest.
    doses = db.execute(_CARD_DOSES, {"patient_id": patient.id}).all()
    person = CardPatient(
        given=[n for n in (patient.first_name, patient.middle_name) if n],
        family=patient.last_name,
        birth_date=patient.birth_date,
    )
    # Lot numbers stay off the card: schools do not need them, and they make the QR denser.
    card_doses = [
        CardDose(cvx=_cvx(d.cvx_code), occurred_on=d.given_on, performer=d.given_by) for d in doses
    ]
    return person, card_doses


_CARD_DOSES = (
    sa.select(
        Immunization.cvx_code,
        Immunization.given_on,
        # Immunization.given_by: the organization's name, else where the dose was given.
        sa.func.coalesce(Organization.name, Immunization.administered_at_text).label("given_by"),
    )
    .outerjoin(Organization, Immunization.administering_org_id == Organization.id)
    .where(Immunization.patient_id == sa.bindparam("patient_id"), Immunization.deleted.is_(False))
    .order_by(Immunization.given_on, Immunization.id)
)


def _cvx(code: str) -> str:
    vaccine = lookup(code)  # HL7 senders may drop a leading zero; the card uses CDC's form
    return vaccine.cvx if vaccine else code.strip()


def _fitting_jws(person: CardPatient, doses: list[CardDose], sign: dict[str, Any]) -> str:
    """The card as one QR code if it can be made to fit. Splitting a card over several
    QR codes is deprecated and many scanners fail at it, so first the optional parts
    go, as the spec allows: who gave each dose (the paper still prints it), then the
    date order (doses of one vaccine side by side compress better). 20 varied doses
    fit one version-22 code with who gave them, 31 without, 32 ordered by vaccine
    (tests/proof/test_qr_fit.py pins these)."""
    jws = sign_card(build_bundle(person, doses), **sign)
    if len(jws) <= MAX_SINGLE_JWS:
        return jws
    doses = [replace(d, performer=None) for d in doses]
    jws = sign_card(build_bundle(person, doses), **sign)
    if len(jws) <= MAX_SINGLE_JWS:
        return jws
    by_vaccine = sorted(doses, key=lambda d: (d.cvx, d.occurred_on))
    return sign_card(build_bundle(person, by_vaccine), **sign)


def issue_proof(
    db: Session,
    patient: Patient,
    *,
    issuer_url: str,
    key: Mapping[str, Any],
    rid_secret: bytes,
    now: datetime,
    issued_by_user_id: int | None = None,
) -> IssuedProof:
    """Sign the record's current doses as a new card.

    First the record's next revocation point (which locks the record, see points.py).
    If a dose on an earlier, still valid card has since been changed or deleted, those
    cards are revoked here, so the correction reaches the CRL at the latest with the
    next printout. Raises NothingToPrint for a record without doses, after that
    revocation: the caller commits it all the same."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    nbf = next_point(db, patient.id, now)
    if cards_made_wrong(db, patient.id):
        revoke_cards_before(db, patient, now, point=nbf)
    person, doses = card_contents(db, patient)
    if not doses:
        raise NothingToPrint("the record has no doses to print")
    kid = thumbprint(key)
    rid = record_rid(rid_secret, patient.registry_id, kid=kid)
    issuer = issuer_url.rstrip("/")
    # The spec: other types SHOULD be included when they apply (verifiers filter on them).
    types = DEFAULT_TYPES + ((COVID19,) if any(d.cvx in COVID_CVX for d in doses) else ())
    sign = {"issuer": issuer, "key": key, "nbf": nbf, "rid": rid, "types": types}
    jws = _fitting_jws(person, doses, sign)
    short_code = new_short_code()
    card = IssuedCard(
        patient_id=patient.id,
        kid=kid,
        rid=rid,
        nbf=nbf,
        issued_at=now,
        short_code_hash=hash_short_code(short_code),
        jws=jws,
        issued_by_user_id=issued_by_user_id,
    )
    db.add(card)
    db.flush()
    return IssuedProof(
        qr_chunks=jws_to_qr_chunks(jws),
        short_code=short_code,
        issued_at=now,
        kid=kid,
        rid=rid,
        nbf=nbf,
        card_id=card.id,
    )
