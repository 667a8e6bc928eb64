"""The generated registry: plausible, consistent and deterministic, checked without a database."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from portal.demo import featured
from portal.demo.dataset import Dataset, build_dataset
from portal.demo.specs import Compliance, Contact, PatientSpec, add_years
from portal.registry import DoseKind, RecordSource
from portal.registry.vaccines import VACCINES, VaccineGroup, groups_for

TODAY = date.today()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(TODAY)


def by_id(dataset: Dataset, registry_id: str) -> PatientSpec:
    return next(p for p in dataset.patients if p.registry_id == registry_id)


def group_count(patient: PatientSpec, group: VaccineGroup) -> int:
    return sum(group in groups_for(d.cvx) for d in patient.doses)


def doses_since(patient: PatientSpec, group: VaccineGroup, since: date) -> int:
    return sum(group in groups_for(d.cvx) and d.given_on >= since for d in patient.doses)


def test_at_least_300_patients_mostly_children(dataset: Dataset) -> None:
    ages = [p.age_on(TODAY) for p in dataset.patients]
    assert len(ages) >= 300
    assert sum(age < 18 for age in ages) >= 300
    assert sum(age >= 18 for age in ages) >= 20
    assert len({p.registry_id for p in dataset.patients}) == len(ages)


def test_same_seed_and_day_give_the_same_registry() -> None:
    day = date(2026, 3, 1)
    assert build_dataset(day).patients == build_dataset(day).patients
    assert build_dataset(day, seed=7).patients != build_dataset(day).patients


def test_every_dose_falls_between_birth_and_today(dataset: Dataset) -> None:
    for patient in dataset.patients:
        for dose in patient.doses:
            assert patient.birth_date <= dose.given_on <= TODAY, (patient.registry_id, dose)
        for test in patient.tb_tests:
            assert patient.birth_date <= test.placed_on <= TODAY
            assert test.read_on is None or test.placed_on <= test.read_on <= TODAY + timedelta(7)
        for event in patient.access:
            assert event.occurred_at.date() <= TODAY


def test_every_cvx_code_is_one_the_portal_knows(dataset: Dataset) -> None:
    codes = Counter(d.cvx for p in dataset.patients for d in p.doses)
    assert set(codes) <= set(VACCINES)
    # Combination vaccines appear, as in any real registry.
    assert {"110", "120", "130", "146", "94"} <= set(codes)


def test_up_to_date_five_year_olds_count_combination_doses_for_each_part(
    dataset: Dataset,
) -> None:
    fives = [
        p
        for p in dataset.patients
        if p.age_on(TODAY) == 5 and p.compliance == Compliance.UP_TO_DATE
    ]
    assert fives
    for child in fives:
        assert group_count(child, VaccineGroup.DTAP) >= 4, child.registry_id
        assert group_count(child, VaccineGroup.MMR) >= 2, child.registry_id
        assert group_count(child, VaccineGroup.POLIO) >= 3, child.registry_id


def test_some_children_are_behind(dataset: Dataset) -> None:
    behind = [p for p in dataset.patients if p.compliance == Compliance.BEHIND]
    assert len(behind) >= 20
    on_time = [p for p in dataset.patients if p.compliance == Compliance.UP_TO_DATE]
    average = sum(len(p.doses) for p in on_time) / len(on_time)
    assert sum(len(p.doses) for p in behind) / len(behind) < average


def test_birth_certificate_records_are_undisclosed_unshared_and_nearly_empty(
    dataset: Dataset,
) -> None:
    vital = [p for p in dataset.patients if p.source == RecordSource.BIRTH_CERTIFICATE]
    assert vital
    for patient in vital:
        assert patient.disclosed is False and patient.shared is False
        assert patient.disclosed_on is None and patient.owner is None
        assert len(patient.doses) <= 1


def test_locked_records_belong_to_a_provider_and_say_since_when(dataset: Dataset) -> None:
    locked = [p for p in dataset.patients if p.disclosed and not p.shared]
    assert len(locked) >= 5
    for patient in locked:
        assert patient.owner and patient.sharing_effective_on
    shared = [p for p in dataset.patients if p.shared]
    assert all(p.disclosed_on and p.sharing_effective_on for p in shared)


def test_about_a_third_cannot_be_reached_by_the_contact_on_file(dataset: Dataset) -> None:
    contacts = Counter(p.contact for p in dataset.patients)
    unreachable = sum(n for c, n in contacts.items() if c != Contact.CURRENT)
    assert 0.2 <= unreachable / len(dataset.patients) <= 0.45
    assert any(p.email is None and p.phone for p in dataset.patients)
    assert any(p.email is None and p.phone is None for p in dataset.patients)


def test_names_carry_accents_and_compound_surnames(dataset: Dataset) -> None:
    names = [p.first_name + " " + p.last_name for p in dataset.patients]
    assert sum(not n.isascii() for n in names) >= 50
    last = [p.last_name for p in dataset.patients]
    assert any("-" in n for n in last) and any(n.startswith("De ") for n in last)
    assert any(" " in n and "-" not in n for n in last)


def test_historical_doses_name_where_they_were_given(dataset: Dataset) -> None:
    historical = [d for p in dataset.patients for d in p.doses if d.kind == DoseKind.HISTORICAL]
    assert historical
    assert all(d.administered_at_text and d.org is None for d in historical)
    assert any("MX" in (d.administered_at_text or "") for d in historical)
    administered = [d for p in dataset.patients for d in p.doses if d.kind == DoseKind.ADMINISTERED]
    assert all(d.org and d.mvx and d.lot for d in administered)


def test_the_story_records(dataset: Dataset) -> None:
    sofia, mateo = by_id(dataset, featured.SOFIA), by_id(dataset, featured.MATEO)
    assert sofia.email == mateo.email == featured.PARENT_EMAIL
    digits = {"".join(c for c in p.phone or "" if c.isdigit()) for p in (sofia, mateo)}
    assert digits == {"5595550142"}
    assert sofia.shared is False and sofia.sharing_effective_on
    assert mateo.tb_tests and len(mateo.doses) >= 40
    long_name = by_id(dataset, featured.LONG_NAME)
    assert len(f"{long_name.first_name} {long_name.middle_name} {long_name.last_name}") >= 60
    example = by_id(dataset, dataset.linking_example)
    assert example.email and example.email.endswith("@demo.example")


def test_ages_stay_right_whatever_the_day() -> None:
    later = date(2031, 2, 28)
    sofia = by_id(build_dataset(later), featured.SOFIA)
    assert sofia.age_on(later) == 5


def test_up_to_date_school_children_born_here_meet_california_k12_entry(
    dataset: Dataset,
) -> None:
    """CDPH K-12 entry: 5 DTaP (4 with one on/after the 4th birthday), 4 polio (3 likewise),
    3 hepatitis B, 2 MMR on/after the 1st birthday, 2 varicella."""
    checked = 0
    for child in dataset.patients:
        if child.compliance != Compliance.UP_TO_DATE or not 6 <= child.age_on(TODAY) < 18:
            continue
        if any(d.kind == DoseKind.HISTORICAL for d in child.doses):
            continue  # cards from abroad leave real gaps (chickenpox, hepatitis A)
        checked += 1
        fourth = add_years(child.birth_date, 4)
        first = add_years(child.birth_date, 1)
        late_dtap = doses_since(child, VaccineGroup.DTAP, fourth) >= 1
        late_polio = doses_since(child, VaccineGroup.POLIO, fourth) >= 1
        assert group_count(child, VaccineGroup.DTAP) >= (4 if late_dtap else 5), child.registry_id
        assert group_count(child, VaccineGroup.POLIO) >= (3 if late_polio else 4), child.registry_id
        assert group_count(child, VaccineGroup.HEPB) >= 3, child.registry_id
        assert doses_since(child, VaccineGroup.MMR, first) >= 2, child.registry_id
        assert group_count(child, VaccineGroup.VARICELLA) >= 2, child.registry_id
    assert checked >= 50


@pytest.mark.parametrize("offset", [0, 45, 200])
def test_the_parent_sees_a_child_due_soon_and_one_overdue(offset: int) -> None:
    from portal.forecast.status import Summary, record_status

    today = TODAY + timedelta(days=offset)
    dataset = build_dataset(today)
    summaries = {
        rid: record_status(p.birth_date, [(d.cvx, d.given_on) for d in p.doses], today).summary
        for rid in (featured.LUCAS, featured.CAMILA)
        for p in [by_id(dataset, rid)]
    }
    assert summaries == {featured.LUCAS: Summary.DUE_SOON, featured.CAMILA: Summary.OVERDUE}
