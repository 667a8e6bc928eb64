"""The shot record as plain data, shared by the record page and the printed record (no Flask).

``record_view`` turns a Patient into frozen dataclasses: the doses in date
order, the same doses grouped by vaccine group (a combination vaccine is
listed under each group it counts for, as the school rules count it), the TB
tests, and the age at each dose. Deleted doses and tests are left out here,
once, so no page or printout can show them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from portal import audit
from portal.accounts.models import User
from portal.forecast.dates import age_parts
from portal.forecast.status import RecordStatus, kept_record_status
from portal.linking.models import PatientLink
from portal.linking.services import LINK_IN_FORCE, cdsi_gender
from portal.orm import utcnow
from portal.registry import (
    AccessAction,
    AccessChannel,
    DoseKind,
    Immunization,
    Organization,
    Patient,
    RecordSource,
    Sex,
    TbInterpretation,
    TbTest,
    TbTestType,
    record_access,
)
from portal.registry.vaccines import VaccineGroup, group_name, lookup
from portal.reminders.models import ReminderOptIn

from .page_cache import Kept


@dataclass(frozen=True, slots=True)
class Age:
    years: int
    months: int
    days: int


def age_at(birth: date, on: date) -> Age:
    """Completed years, months and days, counted the way the CDSi forecast counts them
    (portal.forecast.dates): a child born on 29 February turns one on 1 March of a common
    year, and one born on 31 January is one month old on 1 March (CDSi CALCDT-5)."""
    return Age(*age_parts(birth, on))


@dataclass(frozen=True, slots=True)
class DoseView:
    id: int
    cvx: str
    name: str  # plain-language, in the view's language
    given_on: date
    age: Age | None  # None when the recorded date is before the birth date
    given_by: str | None
    lot_number: str | None
    groups: tuple[VaccineGroup, ...]
    historical: bool

    @property
    def is_combination(self) -> bool:
        return len(self.groups) > 1


@dataclass(frozen=True, slots=True)
class GroupEntry:
    number: int  # the dose's place in its group: dose 1, dose 2, ...
    dose: DoseView
    also_counts_for: tuple[str, ...]  # the combination's other groups, by name


@dataclass(frozen=True, slots=True)
class GroupView:
    group: VaccineGroup | None  # None: codes the portal does not know
    name: str | None
    entries: tuple[GroupEntry, ...]


@dataclass(frozen=True, slots=True)
class TbView:
    test_type: TbTestType
    placed_on: date
    read_on: date | None
    result: str | None
    interpretation: TbInterpretation | None
    given_by: str | None


@dataclass(frozen=True, slots=True)
class RecordView:
    patient_id: int
    registry_id: str
    full_name: str
    birth_date: date
    sex: Sex
    guardian_name: str | None
    address_lines: tuple[str, ...]
    phone: str | None
    source: RecordSource
    disclosed: bool
    disclosed_on: date | None
    shared: bool
    sharing_effective_on: date | None
    locale: str
    today: date
    doses: tuple[DoseView, ...]
    groups: tuple[GroupView, ...]
    tb_tests: tuple[TbView, ...]
    # What is due (portal.forecast.status): a function of the doses, the birth date, the sex
    # and today, so part of the view and of every key the page keeps it under.
    due: RecordStatus
    # The reader's reminders for this record are on (read with the link; False elsewhere).
    reminders_on: bool = False
    # The record page keys what it keeps on the view (page_cache.py): hashed once.
    _hash: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        if not self._hash:
            self._hash.append(hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare)))
        return self._hash[0]

    @property
    def locked(self) -> bool:
        return not self.shared

    @property
    def age_today(self) -> Age | None:
        return age_at(self.birth_date, self.today) if self.today >= self.birth_date else None

    @property
    def awaiting_disclosure(self) -> bool:
        """A birth-certificate record that no provider has yet given the registry notice for."""
        return self.source == RecordSource.BIRTH_CERTIFICATE and not self.disclosed

    @property
    def dose_count(self) -> int:
        return len(self.doses)

    @property
    def tb_count(self) -> int:
        return len(self.tb_tests)

    @property
    def group_count(self) -> int:
        return len(self.groups)


def load_patient(db: Session, patient_id: int) -> Patient | None:
    """The patient with doses, tests and providers loaded in a few queries, not one per dose."""
    return db.scalar(
        sa.select(Patient)
        .where(Patient.id == patient_id)
        .options(
            selectinload(Patient.immunizations).joinedload(Immunization.administering_org),
            selectinload(Patient.tb_tests).joinedload(TbTest.organization),
        )
    )


def open_for_staff(
    db: Session, staff: User, patient_id: int, now: datetime | None = None
) -> Patient | None:
    """A help-desk view of a record, logged in the caller's transaction (policy rule 5)
    and in the staff audit trail."""
    patient = load_patient(db, patient_id)
    if patient is not None:
        record_access(
            db, patient, action=AccessAction.VIEW, channel=AccessChannel.PORTAL, user_id=staff.id
        )
        audit.record(
            db, actor=staff, action=audit.AuditAction.RECORD_VIEWED, patient=patient,
            now=now or utcnow(),
        )  # fmt: skip
        db.flush()
    return patient


def load_record_view(db: Session, patient_id: int, locale: str, today: date) -> RecordView | None:
    """The record page's view from four small queries of plain rows, not ORM objects.

    Builds exactly what `record_view` builds from a loaded Patient (a test holds
    the two equal); the page uses this one because loading some forty doses and
    their organizations as ORM objects was a large share of the page's time. The
    statements are built once (below): building them took longer than running them.
    """
    return _load_view(db, _PATIENT, {"patient_id": patient_id}, locale, today)


def load_linked_record_view(
    db: Session,
    user: User,
    link_id: int,
    locale: str,
    today: date,
    kept: Kept[RecordView] | None = None,
) -> RecordView | None:
    """`load_record_view` of the record behind the user's link in force (as
    linking.services.active_link_for checks it), the link checked in the patient's query.
    With `kept`, rows read as they were last time give the view built then
    (page_cache.py: the view is a pure function of the rows, the language and the day)."""
    params = {"link_id": link_id, "user_id": user.id, "today": today}
    return _load_view(db, _LINKED_PATIENT, params, locale, today, kept)


def _load_view(
    db: Session,
    patient_query: sa.Select[Any],
    params: dict[str, Any],
    locale: str,
    today: date,
    kept: Kept[RecordView] | None = None,
) -> RecordView | None:
    # Plain rows need no ORM: read on the session's connection, in its transaction, after
    # the flush the session would have made before a query of its own.
    db.flush()
    conn = db.connection()
    patient = conn.execute(patient_query, params).one_or_none()
    if patient is None:
        return None
    params = {"patient_id": patient.id}
    doses = tuple(conn.execute(_DOSES, params).all())
    tb_tests = tuple(conn.execute(_TB_TESTS, params).all())
    if kept is None:
        return _view(patient, doses, tb_tests, locale, today)
    key = (patient, doses, tb_tests, locale, today)
    return kept.get(key, lambda: _view(patient, doses, tb_tests, locale, today))


_PATIENT_ID = sa.bindparam("patient_id")
_PATIENT_COLUMNS = sa.select(
    *(getattr(Patient, name) for name in (
        "id", "registry_id", "first_name", "middle_name", "last_name", "birth_date", "sex",
        "guardian_name", "address_street", "address_city", "address_state", "address_zip",
        "phone", "source", "disclosed", "disclosed_on", "shared", "sharing_effective_on",
    ))
)  # fmt: skip
_PATIENT = _PATIENT_COLUMNS.where(Patient.id == _PATIENT_ID)
# The link's reminder opt-in comes with it (one query fewer on every view of the page).
_LINKED_PATIENT = (
    _PATIENT_COLUMNS.add_columns(
        sa.exists().where(ReminderOptIn.link_id == PatientLink.id).label("reminders_on")
    )
    .join(PatientLink, PatientLink.patient_id == Patient.id)
    .where(LINK_IN_FORCE)
)
_DOSES = (
    sa.select(
        Immunization.id, Immunization.cvx_code, Immunization.given_on,
        Immunization.lot_number, Immunization.kind,
        sa.func.coalesce(Organization.name, Immunization.administered_at_text).label("given_by"),
    )
    .outerjoin(Organization, Immunization.administering_org_id == Organization.id)
    .where(Immunization.patient_id == _PATIENT_ID, sa.not_(Immunization.deleted))
)  # fmt: skip
_TB_TESTS = (
    sa.select(
        TbTest.id, TbTest.test_type, TbTest.placed_on, TbTest.read_on, TbTest.result,
        TbTest.interpretation, Organization.name.label("given_by"),
    )
    .outerjoin(Organization, TbTest.organization_id == Organization.id)
    .where(TbTest.patient_id == _PATIENT_ID, sa.not_(TbTest.deleted))
)  # fmt: skip


def record_view(patient: Patient, locale: str, today: date) -> RecordView:
    """The view of a loaded Patient (its doses and tests loaded with it: see load_patient)."""
    return _view(
        patient,
        [d for d in patient.immunizations if not d.deleted],
        [
            _TbRow(t.id, t.test_type, t.placed_on, t.read_on, t.result, t.interpretation,
                   t.organization.name if t.organization else None)
            for t in patient.tb_tests
            if not t.deleted
        ],
        locale,
        today,
    )  # fmt: skip


class _DoseRow(Protocol):
    id: int
    cvx_code: str
    given_on: date
    lot_number: str | None
    kind: DoseKind
    given_by: str | None


class _TbRow(NamedTuple):
    id: int
    test_type: TbTestType
    placed_on: date
    read_on: date | None
    result: str | None
    interpretation: TbInterpretation | None
    given_by: str | None


class _PatientRow(Protocol):
    """What the view reads of a patient: a loaded Patient, or a row of its columns."""

    id: int
    registry_id: str
    first_name: str
    middle_name: str | None
    last_name: str
    birth_date: date
    sex: Sex
    guardian_name: str | None
    address_street: str | None
    address_city: str | None
    address_state: str | None
    address_zip: str | None
    phone: str | None
    source: RecordSource
    disclosed: bool
    disclosed_on: date | None
    shared: bool
    sharing_effective_on: date | None


def _view(
    patient: _PatientRow,
    doses: Iterable[_DoseRow],
    tb_tests: Iterable[_TbRow],
    locale: str,
    today: date,
) -> RecordView:
    """Deleted doses and tests are already left out by the caller."""
    dose_views = tuple(
        _dose_view(dose, patient.birth_date, locale)
        for dose in sorted(doses, key=lambda d: (d.given_on, d.id))
    )
    return RecordView(
        patient_id=patient.id,
        registry_id=patient.registry_id,
        full_name=Patient.join_name(patient.first_name, patient.middle_name, patient.last_name),
        birth_date=patient.birth_date,
        sex=patient.sex,
        guardian_name=patient.guardian_name,
        address_lines=_address_lines(patient),
        phone=format_phone(patient.phone),
        source=patient.source,
        disclosed=patient.disclosed,
        disclosed_on=patient.disclosed_on,
        shared=patient.shared,
        sharing_effective_on=patient.sharing_effective_on,
        locale=locale,
        today=today,
        doses=dose_views,
        groups=_group(dose_views, locale),
        reminders_on=bool(getattr(patient, "reminders_on", False)),
        due=kept_record_status(
            patient.birth_date,
            [(d.cvx, d.given_on) for d in dose_views],
            today,
            cdsi_gender(patient.sex),
        ),
        tb_tests=tuple(
            TbView(
                test_type=t.test_type,
                placed_on=t.placed_on,
                read_on=t.read_on,
                result=t.result,
                interpretation=t.interpretation,
                given_by=t.given_by,
            )
            for t in sorted(tb_tests, key=lambda t: (t.placed_on, t.id))
        ),
    )


def _dose_view(dose: _DoseRow, birth: date, locale: str) -> DoseView:
    vaccine = lookup(dose.cvx_code)
    return DoseView(
        id=dose.id,
        cvx=dose.cvx_code,
        name=vaccine.name(locale) if vaccine else f"CVX {dose.cvx_code}",
        given_on=dose.given_on,
        age=age_at(birth, dose.given_on) if dose.given_on >= birth else None,
        given_by=dose.given_by,
        lot_number=dose.lot_number,
        groups=vaccine.groups if vaccine else (),
        historical=dose.kind == DoseKind.HISTORICAL,
    )


def _group(doses: tuple[DoseView, ...], locale: str) -> tuple[GroupView, ...]:
    by_group: dict[VaccineGroup | None, list[DoseView]] = defaultdict(list)
    for dose in doses:
        for group in dose.groups or (None,):
            by_group[group].append(dose)
    order = [g for g in VaccineGroup if g in by_group] + ([None] if None in by_group else [])
    return tuple(
        GroupView(
            group=group,
            name=group_name(group, locale) if group else None,
            entries=tuple(
                GroupEntry(
                    number=n,
                    dose=dose,
                    also_counts_for=tuple(group_name(g, locale) for g in dose.groups if g != group),
                )
                for n, dose in enumerate(by_group[group], start=1)
            ),
        )
        for group in order
    )


def _address_lines(patient: _PatientRow) -> tuple[str, ...]:
    place = " ".join(p for p in (patient.address_state, patient.address_zip) if p)
    last = ", ".join(p for p in (patient.address_city, place) if p)
    return tuple(line for line in (patient.address_street, last) if line)


def format_phone(raw: str | None) -> str | None:
    """(559) 555-0123 for a ten-digit US number; anything else as stored."""
    if not raw:
        return None
    digits = "".join(c for c in raw if c.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return raw
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
