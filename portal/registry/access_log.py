"""Who opened which record: policy rule 5 gives the family the right to know."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.orm import Base, enum_column, utcnow

from .organizations import Organization
from .patients import Patient


class AccessAction(StrEnum):
    VIEW = "view"
    QUERY = "query"
    MATCH = "match"  # listed among several records matching a query (HL7 Z31): PID only
    SUBMIT = "submit"
    UPDATE = "update"
    PRINT = "print"
    VERIFY = "verify"


class AccessOutcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"


class AccessChannel(StrEnum):
    PORTAL = "portal"  # help-desk staff in the portal
    HL7 = "hl7"  # an organization's system
    VERIFIER = "verifier"  # a school checking a printed record


class AccessEvent(Base):
    __tablename__ = "access_events"
    __table_args__ = (
        # The family's access-log page pages by keyset on (occurred_at, id) within a record.
        sa.Index("ix_access_events_patient_id_occurred_at_id", "patient_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    action: Mapped[AccessAction] = mapped_column(enum_column(AccessAction))
    outcome: Mapped[AccessOutcome] = mapped_column(enum_column(AccessOutcome))
    channel: Mapped[AccessChannel] = mapped_column(enum_column(AccessChannel))
    reason: Mapped[str | None] = mapped_column(sa.String(200))  # never PHI

    patient: Mapped[Patient] = relationship()
    organization: Mapped[Organization | None] = relationship()


def record_access(
    session: Session,
    patient: Patient,
    *,
    action: AccessAction,
    channel: AccessChannel,
    outcome: AccessOutcome = AccessOutcome.ALLOWED,
    organization: Organization | None = None,
    user_id: int | None = None,
    reason: str | None = None,
    occurred_at: datetime | None = None,
) -> AccessEvent:
    """Add an access event to the caller's transaction (it commits with the access).
    `occurred_at` is the access's time when the caller has one (the exchange's clock);
    else now."""
    event = AccessEvent(
        patient=patient,
        action=action,
        channel=channel,
        outcome=outcome,
        organization=organization,
        user_id=user_id,
        reason=reason,
    )
    if occurred_at is not None:
        event.occurred_at = occurred_at
    session.add(event)
    return event
