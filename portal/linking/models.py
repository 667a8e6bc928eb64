"""Links between accounts and registry records, and the proofs that create them.

A link is made by a one-time code sent to the contact on file, a printed
access code, the help desk (manual verification) or a parent's invitation to a
teen. Codes and tokens are stored only as hashes.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.orm import Base, enum_column, utcnow
from portal.registry.patients import Patient


class Relationship(StrEnum):
    SELF = "self"  # an adult patient's own record
    PARENT = "parent"
    GUARDIAN = "guardian"


class LinkMethod(StrEnum):
    CONTACT_CODE = "contact_code"  # automatic match + one-time code to the contact on file
    ACCESS_CODE = "access_code"  # printed by a provider or the help desk
    MANUAL = "manual"  # verified by the help desk from a document
    INVITATION = "invitation"  # a teen taking over their record at a parent's invitation
    DEMO = "demo"  # created by `portal demo`


class PatientLink(Base):
    __tablename__ = "patient_links"
    __table_args__ = (
        sa.Index("ix_patient_links_user_id_patient_id", "user_id", "patient_id"),
        # One link in force per account and record: two requests linking at once (two tabs,
        # a contact code and an access code) cannot both add a row. Ended links (ends_on
        # passed) are closed with unlinked_at when a new one is made (services.link_patient).
        sa.Index(
            "uq_patient_links_active_user_id_patient_id",
            "user_id",
            "patient_id",
            unique=True,
            sqlite_where=sa.text("unlinked_at IS NULL"),
            postgresql_where=sa.text("unlinked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    relationship_: Mapped[Relationship] = mapped_column("relationship", enum_column(Relationship))
    method: Mapped[LinkMethod] = mapped_column(enum_column(LinkMethod))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A guardian's link ends on the child's birthday at GUARDIAN_LINK_AGE; None for SELF.
    ends_on: Mapped[date | None]
    unlinked_at: Mapped[datetime | None] = mapped_column(index=True)  # `portal purge`

    user: Mapped[User] = relationship()
    patient: Mapped[Patient] = relationship()


class AttemptOutcome(StrEnum):
    CODE_SENT = "code_sent"  # details matched and a code went to the contact on file
    NO_MATCH = "no_match"  # details matched no record (the family is not told)
    LINKED = "linked"
    WRONG_CODE = "wrong_code"
    CODE_ENDED = "code_ended"  # expired, used, or ended by too many tries
    WRONG_BIRTH_DATE = "wrong_birth_date"
    NOT_ALLOWED = "not_allowed"  # e.g. the inviter opening their own invitation
    LOCKED_OUT = "locked_out"


# Outcomes that count towards the lock-out. A non-match is not one of them: counting it
# would let the lock-out itself tell a stranger whether a child is in the registry.
FAILED_OUTCOMES = frozenset(
    {
        AttemptOutcome.WRONG_CODE,
        AttemptOutcome.CODE_ENDED,
        AttemptOutcome.WRONG_BIRTH_DATE,
    }
)


class LinkAttempt(Base):
    """Every try at linking, kept without the typed details in plain text."""

    __tablename__ = "link_attempts"
    __table_args__ = (
        sa.Index("ix_link_attempts_user_id_at", "user_id", "at"),
        sa.Index("ix_link_attempts_address_hash_at", "address_hash", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # `portal purge`
    method: Mapped[LinkMethod] = mapped_column(enum_column(LinkMethod))
    outcome: Mapped[AttemptOutcome] = mapped_column(enum_column(AttemptOutcome))
    # HMAC of the normalized details: lets the help desk see repeats, never the details.
    details_hmac: Mapped[str | None] = mapped_column(sa.String(64))
    address_hash: Mapped[str | None] = mapped_column(sa.String(64))
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patients.id"))


class LinkChallenge(Base):
    """A pending automatic match: the one-time code the family must type back.

    One is written for every match attempt, with patient None when nothing
    matched, so that both paths do the same work and the code form simply fails.
    """

    __tablename__ = "link_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)  # kept in the session
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patients.id"))
    relationship_: Mapped[Relationship] = mapped_column("relationship", enum_column(Relationship))
    code_hash: Mapped[str] = mapped_column(sa.String(64))  # HMAC-SHA256 with the app secret
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)  # `portal purge`
    used_at: Mapped[datetime | None]

    patient: Mapped[Patient | None] = relationship()


class AccessCode(Base):
    """A printed access code for one record; only its hash is kept."""

    __tablename__ = "access_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)  # `portal purge`
    # Tries with this code (each with a birth date); the code ends after ACCESS_CODE_MAX_TRIES,
    # so whoever finds the paper cannot go through birth dates until one fits.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    replaced_at: Mapped[datetime | None]  # a newer code for the same record was issued

    patient: Mapped[Patient] = relationship()


class TeenInvitation(Base):
    """A parent's invitation to a teen to take over their own record (a SELF link)."""

    __tablename__ = "teen_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("patient_links.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)  # `portal purge`
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    replaced_at: Mapped[datetime | None]

    link: Mapped[PatientLink] = relationship()
