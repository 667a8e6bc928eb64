"""Printed access codes: issued by a provider or the help desk, redeemed with the birth date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.orm import utcnow
from portal.registry import Patient

from . import rules
from .attempts import Client, record_attempt
from .models import AccessCode, AttemptOutcome, LinkMethod, PatientLink, Relationship
from .services import link_patient


@dataclass(frozen=True)
class IssuedAccessCode:
    code: str  # shown once, to be printed; only its hash is stored
    expires_at: datetime
    record: AccessCode


@dataclass(frozen=True)
class RedeemResult:
    outcome: AttemptOutcome
    link: PatientLink | None = None


def issue_access_code(
    db: Session, patient: Patient, issued_by: User | None = None, now: datetime | None = None
) -> IssuedAccessCode:
    """A new code for the record; any earlier code for it stops working."""
    now = now or utcnow()
    db.execute(
        sa.update(AccessCode)
        .where(
            AccessCode.patient_id == patient.id,
            AccessCode.used_at.is_(None),
            AccessCode.replaced_at.is_(None),
        )
        .values(replaced_at=now)
    )
    code = rules.new_access_code()
    row = AccessCode(
        patient=patient,
        code_hash=rules.hash_access_code(code),
        issued_by_id=issued_by.id if issued_by is not None else None,
        created_at=now,
        expires_at=now + rules.ACCESS_CODE_LIFETIME,
    )
    db.add(row)
    db.flush()
    # The code itself is a secret and stays out of the trail; None is the command line.
    audit.record(
        db, actor=issued_by, action=audit.AuditAction.ACCESS_CODE_ISSUED, patient=patient,
        subject=row, after={"expires_at": row.expires_at.isoformat()}, now=now,
    )  # fmt: skip
    return IssuedAccessCode(code=code, expires_at=row.expires_at, record=row)


def redeem_access_code(
    db: Session,
    client: Client,
    *,
    code: str,
    birth_date: date,
    relationship: Relationship,
    now: datetime,
    today: date,
    guardian_age: int,
) -> RedeemResult:
    """Link the record of a live code when the birth date is the record's.

    A wrong birth date is a failed attempt but leaves the code usable, so that a
    typo does not cost the family their printed code; the fifth try ends it, so
    that whoever finds the paper cannot try birth dates until one fits.
    """
    fingerprint = rules.details_fingerprint(
        client.secret, rules.normalize_access_code(code), birth_date.isoformat()
    )
    row = db.scalar(
        sa.select(AccessCode).where(AccessCode.code_hash == rules.hash_access_code(code))
    )
    if row is None or not _take_a_try(db, row, now):
        return _done(db, client, AttemptOutcome.CODE_ENDED, now, fingerprint)
    patient = row.patient
    if patient.birth_date != birth_date:
        return _done(db, client, AttemptOutcome.WRONG_BIRTH_DATE, now, fingerprint, patient)
    if rules.link_refusal(relationship, patient.birth_date, today, guardian_age):
        return _done(db, client, AttemptOutcome.NOT_ALLOWED, now, fingerprint, patient)
    claimed = db.execute(
        sa.update(AccessCode)
        .where(_live(now), AccessCode.id == row.id)
        .values(used_at=now, used_by_id=client.user.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return _done(db, client, AttemptOutcome.CODE_ENDED, now, fingerprint)
    link = link_patient(
        db,
        client.user,
        patient,
        relationship=relationship,
        method=LinkMethod.ACCESS_CODE,
        today=today,
        guardian_age=guardian_age,
    )
    _done(db, client, AttemptOutcome.LINKED, now, fingerprint, patient)
    return RedeemResult(AttemptOutcome.LINKED, link=link)


def _live(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        AccessCode.used_at.is_(None),
        AccessCode.replaced_at.is_(None),
        AccessCode.expires_at > now,
    )


def _take_a_try(db: Session, row: AccessCode, now: datetime) -> bool:
    """Count this try before the birth date is compared; False when the code has ended.

    One atomic UPDATE, so that parallel requests cannot each read "4 tries" and all
    get their guess compared.
    """
    counted = db.execute(
        sa.update(AccessCode)
        .where(
            _live(now), AccessCode.id == row.id, AccessCode.attempts < rules.ACCESS_CODE_MAX_TRIES
        )
        .values(attempts=AccessCode.attempts + 1),
        execution_options={"synchronize_session": False},
    )
    return counted.rowcount == 1  # type: ignore[attr-defined]


def _done(
    db: Session,
    client: Client,
    outcome: AttemptOutcome,
    now: datetime,
    fingerprint: str,
    patient: Patient | None = None,
) -> RedeemResult:
    record_attempt(
        db,
        client,
        method=LinkMethod.ACCESS_CODE,
        outcome=outcome,
        now=now,
        details_hmac=fingerprint,
        patient=patient,
    )
    return RedeemResult(outcome)
