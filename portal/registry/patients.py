"""Patients: the registry record that every feature of the portal reads."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.orm import Base, enum_column, utcnow

from .organizations import Organization

if TYPE_CHECKING:
    from .doses import Immunization, TbTest


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"
    NONBINARY = "X"
    UNKNOWN = "U"


class RecordSource(StrEnum):
    PROVIDER_REPORT = "provider_report"
    BIRTH_CERTIFICATE = "birth_certificate"


class RegistryStatus(StrEnum):
    """HL7 PD1-16 (table 0441) codes."""

    ACTIVE = "A"
    INACTIVE = "I"
    LOST_TO_FOLLOW_UP = "L"
    MOVED = "M"
    DECEASED = "P"
    UNKNOWN = "U"


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (sa.Index("ix_patients_birth_date_last_name", "birth_date", "last_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registry_id: Mapped[str] = mapped_column(sa.String(20), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(100))
    middle_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str] = mapped_column(sa.String(100))
    birth_date: Mapped[date]
    sex: Mapped[Sex] = mapped_column(enum_column(Sex), default=Sex.UNKNOWN)
    guardian_name: Mapped[str | None] = mapped_column(sa.String(200))
    address_street: Mapped[str | None] = mapped_column(sa.String(200))
    address_city: Mapped[str | None] = mapped_column(sa.String(100))
    address_state: Mapped[str | None] = mapped_column(sa.String(2))
    address_zip: Mapped[str | None] = mapped_column(sa.String(10))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    source: Mapped[RecordSource] = mapped_column(enum_column(RecordSource))
    # Policy rule 3: a record is disclosed once a provider has given the registry notice.
    disclosed: Mapped[bool] = mapped_column(default=False)
    disclosed_on: Mapped[date | None]
    # Policy rule 4: shared = False means locked; only the owning organization may open it.
    shared: Mapped[bool] = mapped_column(default=False)
    sharing_effective_on: Mapped[date | None]
    owner_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    status: Mapped[RegistryStatus] = mapped_column(
        enum_column(RegistryStatus), default=RegistryStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Organization | None] = relationship()
    immunizations: Mapped[list[Immunization]] = relationship(
        back_populates="patient", order_by="Immunization.given_on"
    )
    tb_tests: Mapped[list[TbTest]] = relationship(
        back_populates="patient", order_by="TbTest.placed_on"
    )

    @property
    def full_name(self) -> str:
        return self.join_name(self.first_name, self.middle_name, self.last_name)

    @staticmethod
    def join_name(first: str, middle: str | None, last: str) -> str:
        return " ".join(p for p in (first, middle, last) if p)

    @property
    def locked(self) -> bool:
        return not self.shared

    def __repr__(self) -> str:
        return f"<Patient {self.registry_id}>"
