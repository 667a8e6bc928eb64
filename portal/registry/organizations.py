"""Organizations that report to or read from the registry."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.orm import Base, enum_column, utcnow


class OrgKind(StrEnum):
    PROVIDER = "provider"
    PHARMACY = "pharmacy"
    SCHOOL = "school"
    CHILD_CARE = "child_care"
    WIC = "wic"
    HEALTH_DEPARTMENT = "health_department"


# Organizations that deliver care: they may see address and phone (policy rule 1).
HEALTH_CARE_KINDS = frozenset({OrgKind.PROVIDER, OrgKind.PHARMACY, OrgKind.HEALTH_DEPARTMENT})


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The registry-assigned code that organizations send in HL7 (MSH-4, RXA-11).
    identifier: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_health_care(self) -> bool:
        return self.kind in HEALTH_CARE_KINDS

    def __repr__(self) -> str:
        return f"<Organization {self.identifier}>"
