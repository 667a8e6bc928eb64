"""Automatic match: the family's details against the registry, and a one-time code to the
contact on file.

Both outcomes of a match do the same work (a challenge row, a hashed code, an
attempt row) and the family is shown the same page either way, so neither the
page nor its timing tells a stranger whether a child is in the registry.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.registry import Patient

from . import rules
from .attempts import Client, record_attempt
from .models import AttemptOutcome, LinkChallenge, LinkMethod, PatientLink, Relationship
from .services import link_patient

# (db, channel "email" | "sms", recipient on file or None, code). Called on both paths so that
# both do the same work; with no recipient it composes the message and queues nothing.
CodeSender = Callable[[Session, str, str | None, str], None]


@dataclass(frozen=True)
class MatchDetails:
    first_name: str
    last_name: str
    birth_date: date
    contact: str  # a phone number or an email address, as typed
    relationship: Relationship


@dataclass(frozen=True)
class CodeResult:
    outcome: AttemptOutcome
    link: PatientLink | None = None
    tries_left: int = 0


def find_match(db: Session, details: MatchDetails) -> tuple[Patient | None, str | None]:
    """The one record these details match, with the contact on file to send the code to."""
    contact = rules.parse_contact(details.contact)
    candidates = db.scalars(sa.select(Patient).where(Patient.birth_date == details.birth_date))
    matches = [
        patient
        for patient in candidates
        if rules.names_match(
            details.first_name, details.last_name, patient.first_name, patient.last_name
        )
        and contact is not None
        and rules.contact_on_record(contact, patient.phone, patient.email)
    ]
    # Two records that fit (duplicates) are for the help desk to merge, not for us to pick.
    if len(matches) != 1 or contact is None:
        return None, None
    patient = matches[0]
    # The contact as the record holds it (never what was typed), in the form that matched it.
    if contact[0] == "email":
        return patient, rules.normalize_email(patient.email or "")
    return patient, "+1" + (rules.normalize_phone(patient.phone or "") or "")


def start_contact_match(
    db: Session, client: Client, details: MatchDetails, *, send_code: CodeSender, now: datetime
) -> LinkChallenge:
    """Write a challenge for this try (patient None when nothing matched) and send its code."""
    patient, recipient = find_match(db, details)
    _end_pending_codes(db, client, now)
    token = secrets.token_urlsafe(32)
    code = rules.new_otp()
    challenge = LinkChallenge(
        token=token,
        user_id=client.user.id,
        patient=patient,
        relationship_=details.relationship,
        code_hash=rules.hash_otp(client.secret, token, code),
        created_at=now,
        expires_at=now + rules.OTP_LIFETIME,
    )
    db.add(challenge)
    contact = rules.parse_contact(details.contact)
    fingerprint = rules.details_fingerprint(
        client.secret,
        rules.normalize_name(details.first_name),
        rules.normalize_name(details.last_name),
        details.birth_date.isoformat(),
        contact[1] if contact else "",
    )
    record_attempt(
        db,
        client,
        method=LinkMethod.CONTACT_CODE,
        outcome=AttemptOutcome.CODE_SENT if patient else AttemptOutcome.NO_MATCH,
        now=now,
        details_hmac=fingerprint,
        patient=patient,
    )
    # Always the contact as the record holds it, never what was typed.
    send_code(db, contact[0] if contact else "email", recipient if patient else None, code)
    db.flush()  # every write of either path is done before the view waits out its floor
    return challenge


def _end_pending_codes(db: Session, client: Client, now: datetime) -> None:
    """A new try ends the account's older codes still pending: only the newest one links.

    Otherwise a code sent for an earlier try (the wrong child, or a message someone
    else read) stays good for its whole lifetime beside the new one. Done on both
    paths, a match or not, so that neither does less work than the other.
    """
    db.execute(
        sa.update(LinkChallenge)
        .where(
            LinkChallenge.user_id == client.user.id,
            LinkChallenge.used_at.is_(None),
            LinkChallenge.expires_at > now,
        )
        .values(expires_at=now)
    )


def is_own_challenge(db: Session, client: Client, token: str) -> bool:
    """Whether the pending challenge a browser holds was started by this account.

    The session outlives a sign-out, so another account signed in on the same
    browser may find the last one's pending code there.
    """
    owner = db.scalar(sa.select(LinkChallenge.user_id).where(LinkChallenge.token == token))
    return owner == client.user.id


def check_contact_code(
    db: Session,
    client: Client,
    token: str | None,
    typed: str,
    *,
    now: datetime,
    today: date,
    guardian_age: int,
) -> CodeResult:
    """Check a typed code against the account's challenge; link the record when it is right."""
    challenge = None
    if token:
        challenge = db.scalar(
            sa.select(LinkChallenge).where(
                LinkChallenge.token == token, LinkChallenge.user_id == client.user.id
            )
        )
    if challenge is None or not rules.challenge_open(
        expires_at=challenge.expires_at,
        used_at=challenge.used_at,
        attempts=challenge.attempts,
        now=now,
    ):
        rules.hash_otp(client.secret, token or "", typed)  # the same work as a live check
        return _failed(db, client, AttemptOutcome.CODE_ENDED, now)
    attempts = _take_a_try(db, challenge, now)
    if attempts is None:  # a parallel request took the last try, or the code was just used
        return _failed(db, client, AttemptOutcome.CODE_ENDED, now)
    right = rules.otp_matches(client.secret, challenge.token, typed, challenge.code_hash)
    if right and challenge.patient is not None and _claim(db, challenge, now):
        link = link_patient(
            db,
            client.user,
            challenge.patient,
            relationship=challenge.relationship_,
            method=LinkMethod.CONTACT_CODE,
            today=today,
            guardian_age=guardian_age,
        )
        record_attempt(
            db,
            client,
            method=LinkMethod.CONTACT_CODE,
            outcome=AttemptOutcome.LINKED,
            now=now,
            patient=challenge.patient,
        )
        return CodeResult(AttemptOutcome.LINKED, link=link)
    tries_left = max(rules.OTP_MAX_TRIES - attempts, 0)
    outcome = AttemptOutcome.WRONG_CODE if tries_left else AttemptOutcome.CODE_ENDED
    return _failed(db, client, outcome, now, tries_left=tries_left)


def _take_a_try(db: Session, challenge: LinkChallenge, now: datetime) -> int | None:
    """Count this try in the database before the code is compared: the tries used, or None.

    One atomic UPDATE, so that parallel requests cannot all read "4 tries used" and each
    get a fifth guess: on PostgreSQL the row lock makes the second wait and re-check.
    """
    return db.execute(
        sa.update(LinkChallenge)
        .where(
            LinkChallenge.id == challenge.id,
            LinkChallenge.used_at.is_(None),
            LinkChallenge.attempts < rules.OTP_MAX_TRIES,
            LinkChallenge.expires_at > now,
        )
        .values(attempts=LinkChallenge.attempts + 1)
        .returning(LinkChallenge.attempts),
        execution_options={"synchronize_session": "fetch"},
    ).scalar_one_or_none()


def _claim(db: Session, challenge: LinkChallenge, now: datetime) -> bool:
    """Mark the code used, once: a second request racing this one finds it gone."""
    result = db.execute(
        sa.update(LinkChallenge)
        .where(LinkChallenge.id == challenge.id, LinkChallenge.used_at.is_(None))
        .values(used_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _failed(
    db: Session, client: Client, outcome: AttemptOutcome, now: datetime, tries_left: int = 0
) -> CodeResult:
    record_attempt(db, client, method=LinkMethod.CONTACT_CODE, outcome=outcome, now=now)
    return CodeResult(outcome, tries_left=tries_left)
