"""The exchange's own tables: organizations' credentials, their identifiers of patients,
the order ids of the doses they sent, and refusals. No Flask here."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.orm import Base, utcnow
from portal.registry.organizations import Organization


class OrgCredential(Base):
    """One username and password of an organization's system (HTTP Basic on /exchange/hl7).

    An organization may hold several at once: a new one is created, the system switched
    to it, then the old one revoked (rotation without downtime). Only the hash is kept.
    """

    __tablename__ = "org_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    organization: Mapped[Organization] = relationship()


class PatientIdentifier(Base):
    """An organization's own id of a patient (PID-3 with the organization as authority)."""

    __tablename__ = "patient_identifiers"
    __table_args__ = (sa.UniqueConstraint("organization_id", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    identifier: Mapped[str] = mapped_column(sa.String(40))


class DoseOrder(Base):
    """The sender's id of a dose it reported (ORC-3), for its later updates and deletes."""

    __tablename__ = "dose_orders"
    __table_args__ = (sa.UniqueConstraint("organization_id", "order_id"),)

    immunization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("immunizations.id"), primary_key=True
    )
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    order_id: Mapped[str] = mapped_column(sa.String(80))


class DoseRefusal(Base):
    """A vaccine the family refused (RXA-20 RE with the reason in RXA-18), kept apart from
    the doses so that no page lists a refusal as a shot given."""

    __tablename__ = "dose_refusals"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    cvx_code: Mapped[str] = mapped_column(sa.String(4))
    refused_on: Mapped[date]
    reason_code: Mapped[str] = mapped_column(sa.String(20))  # NIP002
    reported_by_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportProgress(Base):
    """How far `portal import-hl7` got in one file: the number of messages done and the
    hash of the last, written in the same transaction as that message (so a second run
    skips exactly what was stored, and notices a file that changed since)."""

    __tablename__ = "hl7_import_progress"
    __table_args__ = (sa.UniqueConstraint("organization_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"))
    source: Mapped[str] = mapped_column(sa.String(1024))  # the file's absolute path
    done: Mapped[int]  # messages done, in file order
    last_hash: Mapped[str] = mapped_column(sa.String(64))  # sha256 of the last one done
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
