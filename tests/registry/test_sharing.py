"""The sharing rules over their whole table: organization kind x sharing x disclosure x
record source x owner x registry status (and the organization's own active flag)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from portal.registry import OrgKind, RecordSource, RegistryStatus
from portal.registry.sharing import (
    ALL_FIELDS,
    BASIC_FIELDS,
    REASON_NOT_DISCLOSED,
    REASON_NOT_SHARED,
    REASON_ORGANIZATION_INACTIVE,
    Field,
    RecordFacts,
    decide,
    decide_for,
    facts_of,
)

HEALTH_CARE = {OrgKind.PROVIDER, OrgKind.PHARMACY, OrgKind.HEALTH_DEPARTMENT}
NEVER_CONTACT = {OrgKind.SCHOOL, OrgKind.CHILD_CARE, OrgKind.WIC}
BC, REPORT = RecordSource.BIRTH_CERTIFICATE, RecordSource.PROVIDER_REPORT

TABLE = list(
    itertools.product(
        list(OrgKind), [True, False], [True, False], list(RecordSource), [True, False],
        list(RegistryStatus),
    )
)  # fmt: skip


def test_the_kinds_split_into_health_care_and_the_rest() -> None:
    assert HEALTH_CARE | NEVER_CONTACT == set(OrgKind)
    assert len(TABLE) == 6 * 2 * 2 * 2 * 2 * 6


def _expected_open(shared: bool, disclosed: bool, source: RecordSource, owner: bool) -> bool:
    """The policy read aloud: a shared, disclosed record is open to all; the owner also
    opens its locked record and its own undisclosed report; an undisclosed birth
    certificate is open to nobody."""
    if disclosed:
        return shared or owner
    return owner and source is REPORT


@pytest.mark.parametrize(("kind", "shared", "disclosed", "source", "owner", "status"), TABLE)
def test_the_whole_table(kind, shared, disclosed, source, owner, status) -> None:
    record = RecordFacts(shared=shared, disclosed=disclosed, source=source, status=status)
    decision = decide(kind, record, owner=owner)
    assert decision.allowed is _expected_open(shared, disclosed, source, owner)
    assert decision.accepts_new_entries is (status is not RegistryStatus.DECEASED)
    if not decision.allowed:
        assert decision.fields == frozenset()
        assert decision.reason == (REASON_NOT_DISCLOSED if not disclosed else REASON_NOT_SHARED)
        return
    assert decision.reason is None
    if kind in HEALTH_CARE:
        assert decision.fields == ALL_FIELDS and decision.sees_contact
    else:
        assert decision.fields == BASIC_FIELDS and not decision.sees_contact
        for field in (Field.ADDRESS, Field.PHONE, Field.EMAIL, Field.GUARDIAN_CONTACT):
            assert not decision.sees(field)
    for field in (Field.NAME, Field.BIRTH_DATE, Field.DOSES, Field.GUARDIAN_NAME):
        assert decision.sees(field)


@pytest.mark.parametrize("kind", list(OrgKind))
def test_an_inactive_organization_opens_nothing(kind) -> None:
    open_record = RecordFacts(shared=True, disclosed=True, source=REPORT)
    for owner in (True, False):
        decision = decide(kind, open_record, owner=owner, active=False)
        assert not decision.allowed and decision.reason == REASON_ORGANIZATION_INACTIVE


def test_a_locked_record_is_the_owners_alone() -> None:
    locked = RecordFacts(shared=False, disclosed=True, source=REPORT)
    assert decide(OrgKind.PROVIDER, locked, owner=True).allowed
    refused = decide(OrgKind.PROVIDER, locked, owner=False)
    assert not refused.allowed and refused.reason == REASON_NOT_SHARED


def test_an_undisclosed_birth_certificate_is_nobodys_not_even_an_owners() -> None:
    vital = RecordFacts(shared=True, disclosed=False, source=BC)
    for kind, owner in itertools.product(OrgKind, (True, False)):
        assert decide(kind, vital, owner=owner).reason == REASON_NOT_DISCLOSED


def test_a_school_sees_a_shared_record_without_contact_details() -> None:
    shared = RecordFacts(shared=True, disclosed=True, source=REPORT)
    school = decide(OrgKind.SCHOOL, shared, owner=False)
    assert school.allowed and not school.sees(Field.ADDRESS) and not school.sees(Field.PHONE)
    clinic = decide(OrgKind.PROVIDER, shared, owner=False)
    assert clinic.sees(Field.ADDRESS) and clinic.sees(Field.PHONE)


def test_a_deceased_record_is_read_but_takes_no_new_entries() -> None:
    record = RecordFacts(shared=True, disclosed=True, source=REPORT, status=RegistryStatus.DECEASED)
    decision = decide(OrgKind.PROVIDER, record, owner=False)
    assert decision.allowed and not decision.accepts_new_entries
    moved = decide(
        OrgKind.PROVIDER, RecordFacts(True, True, REPORT, RegistryStatus.MOVED), owner=False
    )
    assert moved.allowed and moved.accepts_new_entries


def test_decide_for_reads_models_and_compares_the_owner_by_id() -> None:
    clinic = SimpleNamespace(id=7, kind=OrgKind.PROVIDER, active=True)
    other = SimpleNamespace(id=8, kind="provider", active=True)
    patient = SimpleNamespace(
        shared=False, disclosed=True, source="provider_report", status="A", owner_org_id=7
    )
    assert decide_for(clinic, patient).allowed
    assert decide_for(other, patient).reason == REASON_NOT_SHARED
    ownerless = SimpleNamespace(**{**vars(patient), "owner_org_id": None})
    assert (
        decide_for(SimpleNamespace(id=None, kind="provider"), ownerless).reason == REASON_NOT_SHARED
    )
    assert facts_of(patient) == RecordFacts(False, True, REPORT, RegistryStatus.ACTIVE)


def test_decide_for_a_real_patient_model() -> None:
    from portal.registry import Organization, Patient

    org = Organization(id=3, identifier="CLINIC", name="Clinic", kind=OrgKind.SCHOOL, active=True)
    patient = Patient(shared=True, disclosed=True, source=REPORT, status=RegistryStatus.ACTIVE,
                      owner_org_id=4)  # fmt: skip
    decision = decide_for(org, patient)
    assert decision.allowed and not decision.sees_contact
