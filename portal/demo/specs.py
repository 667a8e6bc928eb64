"""Plain descriptions of the demo's records, built by the generators and written by the loader.

Organizations are named by identifier and patients by registry id, so the
generators stay free of the database and the loader can tell what exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from portal.forecast.dates import age_in_years
from portal.registry import (
    AccessAction,
    AccessChannel,
    AccessOutcome,
    DoseKind,
    RecordSource,
    Sex,
    TbInterpretation,
    TbTestType,
)


class Compliance(StrEnum):
    """How closely a child's family followed the schedule (drives the generator, not stored)."""

    UP_TO_DATE = "up_to_date"
    BEHIND = "behind"  # late or missed visits
    NONE = "none"  # no shots since birth (exemption or never seen)


class Contact(StrEnum):
    """What the record holds for reaching the family; about a third cannot be reached by it."""

    CURRENT = "current"
    NO_EMAIL = "no_email"
    NO_PHONE = "no_phone"
    MISSING = "missing"
    OUTDATED = "outdated"  # an old address or number the family no longer reads


@dataclass(slots=True)
class DoseSpec:
    cvx: str
    given_on: date
    org: str | None = None  # administering organization's identifier
    mvx: str | None = None
    lot: str | None = None
    administered_at_text: str | None = None
    kind: DoseKind = DoseKind.ADMINISTERED


@dataclass(slots=True)
class TbSpec:
    test_type: TbTestType
    placed_on: date
    read_on: date | None
    result: str | None
    interpretation: TbInterpretation | None
    org: str | None


@dataclass(slots=True)
class AccessSpec:
    occurred_at: datetime
    org: str | None
    action: AccessAction
    channel: AccessChannel
    outcome: AccessOutcome = AccessOutcome.ALLOWED
    reason: str | None = None


@dataclass(slots=True)
class PatientSpec:
    registry_id: str
    first_name: str
    middle_name: str | None
    last_name: str
    birth_date: date
    sex: Sex
    guardian_name: str | None
    address_street: str | None
    address_city: str | None
    address_zip: str | None
    phone: str | None
    email: str | None
    contact: Contact
    owner: str | None
    source: RecordSource = RecordSource.PROVIDER_REPORT
    disclosed: bool = True
    disclosed_on: date | None = None
    shared: bool = True
    sharing_effective_on: date | None = None
    compliance: Compliance = Compliance.UP_TO_DATE
    doses: list[DoseSpec] = field(default_factory=list)
    tb_tests: list[TbSpec] = field(default_factory=list)
    access: list[AccessSpec] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        return age_in_years(self.birth_date, day)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or the month's last day when it has fewer."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    for dom in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
