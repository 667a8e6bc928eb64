"""Vaccine doses and TB tests on a patient's record (policy rule 6: every one, whenever given)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.orm import Base, enum_column, utcnow

from .organizations import Organization

if TYPE_CHECKING:
    from .patients import Patient


class DoseKind(StrEnum):
    ADMINISTERED = "administered"  # given by the reporting organization
    HISTORICAL = "historical"  # transcribed from another record


class Immunization(Base):
    __tablename__ = "immunizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    cvx_code: Mapped[str] = mapped_column(sa.String(4))
    mvx_code: Mapped[str | None] = mapped_column(sa.String(4))
    given_on: Mapped[date]
    lot_number: Mapped[str | None] = mapped_column(sa.String(40))
    administering_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    # Free-text provider for historical doses given by someone outside the registry.
    administered_at_text: Mapped[str | None] = mapped_column(sa.String(200))
    reported_by_org_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    kind: Mapped[DoseKind] = mapped_column(enum_column(DoseKind), default=DoseKind.ADMINISTERED)
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="immunizations")
    administering_org: Mapped[Organization | None] = relationship(
        foreign_keys=[administering_org_id]
    )
    reported_by_org: Mapped[Organization | None] = relationship(foreign_keys=[reported_by_org_id])

    @property
    def given_by(self) -> str | None:
        if self.administering_org is not None:
            return self.administering_org.name
        return self.administered_at_text


class TbTestType(StrEnum):
    SKIN = "skin"  # tuberculin skin test (TST / PPD)
    BLOOD = "blood"  # interferon-gamma release assay (IGRA)


class TbInterpretation(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate"


class TbTest(Base):
    __tablename__ = "tb_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    test_type: Mapped[TbTestType] = mapped_column(enum_column(TbTestType))
    placed_on: Mapped[date]
    read_on: Mapped[date | None]
    result: Mapped[str | None] = mapped_column(sa.String(40))  # e.g. "0 mm" or an IGRA value
    interpretation: Mapped[TbInterpretation | None] = mapped_column(enum_column(TbInterpretation))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="tb_tests")
    organization: Mapped[Organization | None] = relationship()
