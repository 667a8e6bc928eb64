"""A parent's invitation to a teen nearing the end of the guardian link to take over the record."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from . import rules
from .attempts import Client, record_attempt
from .models import AttemptOutcome, LinkMethod, PatientLink, Relationship, TeenInvitation
from .services import link_patient


@dataclass(frozen=True)
class InvitationResult:
    outcome: AttemptOutcome
    link: PatientLink | None = None


def may_invite(link: PatientLink, today: date) -> bool:
    """Offered with the warning that a guardian's link is about to end."""
    return (
        link.relationship_ in rules.GUARDIAN_RELATIONSHIPS
        and rules.days_until_end(link.ends_on, today) is not None
    )


def create_invitation(
    db: Session, link: PatientLink, email: str, *, now: datetime
) -> tuple[TeenInvitation, str]:
    """A new invitation for the link's record (an earlier one stops working) and its token."""
    db.execute(
        sa.update(TeenInvitation)
        .where(
            TeenInvitation.link_id == link.id,
            TeenInvitation.used_at.is_(None),
            TeenInvitation.replaced_at.is_(None),
        )
        .values(replaced_at=now)
    )
    token = secrets.token_urlsafe(32)
    invitation = TeenInvitation(
        token_hash=rules.hash_token(token),
        link=link,
        email=rules.normalize_email(email) or email.strip(),
        created_at=now,
        expires_at=now + rules.INVITATION_LIFETIME,
    )
    db.add(invitation)
    db.flush()
    return invitation, token


def open_invitation(db: Session, token: str, now: datetime) -> TeenInvitation | None:
    """The invitation this token opens, while it can still be used."""
    invitation = db.scalar(
        sa.select(TeenInvitation).where(TeenInvitation.token_hash == rules.hash_token(token))
    )
    if (
        invitation is None
        or invitation.used_at is not None
        or invitation.replaced_at is not None
        or invitation.attempts >= rules.INVITATION_MAX_TRIES
        or now >= invitation.expires_at
        or invitation.link.unlinked_at is not None  # the parent withdrew
    ):
        return None
    return invitation


def accept_invitation(
    db: Session,
    client: Client,
    token: str,
    birth_date: date,
    *,
    now: datetime,
    today: date,
    guardian_age: int,
) -> InvitationResult:
    """Give the signed-in teen their own (SELF) link once they confirm their birth date."""
    invitation = open_invitation(db, token, now)
    if invitation is None:
        return _done(db, client, AttemptOutcome.CODE_ENDED, now)
    patient = invitation.link.patient
    if invitation.link.user_id == client.user.id:
        # The parent opened their own invitation: the teen must use their own account.
        return _done(db, client, AttemptOutcome.NOT_ALLOWED, now)
    if not _take_a_try(db, invitation, now):
        return _done(db, client, AttemptOutcome.CODE_ENDED, now)
    if patient.birth_date != birth_date:
        return _done(db, client, AttemptOutcome.WRONG_BIRTH_DATE, now)
    claimed = db.execute(
        sa.update(TeenInvitation)
        .where(TeenInvitation.id == invitation.id, TeenInvitation.used_at.is_(None))
        .values(used_at=now, used_by_id=client.user.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return _done(db, client, AttemptOutcome.CODE_ENDED, now)
    link = link_patient(
        db,
        client.user,
        patient,
        relationship=Relationship.SELF,
        method=LinkMethod.INVITATION,
        today=today,
        guardian_age=guardian_age,
    )
    record_attempt(
        db,
        client,
        method=LinkMethod.INVITATION,
        outcome=AttemptOutcome.LINKED,
        now=now,
        patient=patient,
    )
    return InvitationResult(AttemptOutcome.LINKED, link=link)


def _take_a_try(db: Session, invitation: TeenInvitation, now: datetime) -> bool:
    """Count this try before the birth date is compared; False when the invitation has ended.

    One atomic UPDATE (the row lock orders parallel requests), so that five tries are five.
    """
    counted = db.execute(
        sa.update(TeenInvitation)
        .where(
            TeenInvitation.id == invitation.id,
            TeenInvitation.used_at.is_(None),
            TeenInvitation.replaced_at.is_(None),
            TeenInvitation.attempts < rules.INVITATION_MAX_TRIES,
            TeenInvitation.expires_at > now,
        )
        .values(attempts=TeenInvitation.attempts + 1)
        .returning(TeenInvitation.attempts),
        execution_options={"synchronize_session": "fetch"},
    ).scalar_one_or_none()
    return counted is not None


def _done(db: Session, client: Client, outcome: AttemptOutcome, now: datetime) -> InvitationResult:
    record_attempt(db, client, method=LinkMethod.INVITATION, outcome=outcome, now=now)
    return InvitationResult(outcome)
