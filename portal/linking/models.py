"""A link between an account and a registry record it has proved it may see."""

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
    DEMO = "demo"  # created by `portal demo`


class PatientLink(Base):
    __tablename__ = "patient_links"
    __table_args__ = (sa.Index("ix_patient_links_user_id_patient_id", "user_id", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    relationship_: Mapped[Relationship] = mapped_column("relationship", enum_column(Relationship))
    method: Mapped[LinkMethod] = mapped_column(enum_column(LinkMethod))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A guardian's link ends on the child's birthday at GUARDIAN_LINK_AGE; None for SELF.
    ends_on: Mapped[date | None]
    unlinked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    patient: Mapped[Patient] = relationship()
