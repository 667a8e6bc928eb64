"""The record as plain data: grouping, deleted doses, names, the staff view's access event."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.linking.services import active_link_for
from portal.orm import utcnow
from portal.records.page_cache import Kept
from portal.records.services import (
    Age,
    RecordView,
    format_phone,
    load_linked_record_view,
    load_patient,
    load_record_view,
    open_for_staff,
    record_view,
)
from portal.records.timeline import build_timeline
from portal.registry import AccessAction, AccessChannel, AccessEvent, RecordSource
from portal.registry.vaccines import VaccineGroup

TODAY = date(2026, 11, 21)


def _view(db, patient, locale="en"):  # type: ignore[no-untyped-def]
    db.expire_all()
    return record_view(load_patient(db, patient.id), locale, TODAY)


def test_a_combination_is_listed_under_each_of_its_groups(db, make) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=date(2020, 1, 10))
    make.dose(patient, cvx_code="10", given_on=date(2020, 3, 10))  # polio alone
    combo = make.dose(patient, cvx_code="110", given_on=date(2020, 5, 10))  # DTaP-HepB-IPV

    view = _view(db, patient)

    groups = {g.group: g for g in view.groups}
    assert list(groups) == [VaccineGroup.DTAP, VaccineGroup.POLIO, VaccineGroup.HEPB]
    polio = groups[VaccineGroup.POLIO].entries
    assert [(e.number, e.dose.cvx) for e in polio] == [(1, "10"), (2, "110")]
    assert polio[1].dose.id == combo.id and polio[1].dose.is_combination
    assert polio[1].also_counts_for == ("Diphtheria, tetanus, whooping cough", "Hepatitis B")
    assert groups[VaccineGroup.HEPB].entries[0].also_counts_for == (
        "Diphtheria, tetanus, whooping cough",
        "Polio",
    )
    assert view.dose_count == 2 and view.group_count == 3


def test_deleted_doses_and_tests_are_left_out_and_not_counted(db, make) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20))
    make.dose(patient, cvx_code="03", given_on=date(2020, 6, 1), deleted=True)
    make.dose(patient, cvx_code="03", given_on=date(2023, 4, 2))
    make.tb_test(patient, deleted=True)

    view = _view(db, patient)

    assert [d.given_on for d in view.doses] == [date(2020, 3, 20), date(2023, 4, 2)]
    assert [e.number for e in view.groups[0].entries] == [1, 2]
    assert view.tb_tests == ()


def test_names_ages_and_providers(db, make) -> None:  # type: ignore[no-untyped-def]
    clinic = make.org(name="Sunrise Clinic")
    patient = make.patient(birth_date=date(2019, 3, 14))
    make.dose(patient, cvx_code="94", given_on=date(2023, 6, 14), administering_org=clinic)
    make.dose(
        patient,
        cvx_code="21",
        given_on=date(2019, 2, 1),  # recorded before the birth date: a data error
        administering_org=None,
        administered_at_text="Clinica del Valle, Tijuana",
    )

    en, es = _view(db, patient, "en"), _view(db, patient, "es")

    mmrv = en.doses[1]
    assert mmrv.name == "MMRV (measles, mumps, rubella, chickenpox)"
    assert es.doses[1].name == "MMRV (sarampión, paperas, rubéola, varicela)"
    assert mmrv.age == Age(4, 3, 0) and mmrv.given_by == "Sunrise Clinic"
    assert en.doses[0].age is None and en.doses[0].given_by == "Clinica del Valle, Tijuana"
    assert es.groups[0].name == "Sarampión, paperas, rubéola"


def test_an_unknown_code_goes_to_a_last_group_of_its_own(db, make) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient()
    make.dose(patient, cvx_code="999", given_on=date(2021, 1, 1))
    make.dose(patient, cvx_code="03", given_on=date(2021, 2, 1))

    view = _view(db, patient)

    assert [g.group for g in view.groups] == [VaccineGroup.MMR, None]
    assert view.groups[1].entries[0].dose.name == "CVX 999"


def test_contact_details_and_status(db, make) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(
        source=RecordSource.BIRTH_CERTIFICATE,
        disclosed=False,
        disclosed_on=None,
        shared=False,
        phone="+1 559-555-0123",
    )

    view = _view(db, patient)

    assert view.address_lines == ("12 Elm St", "Fresno, CA 93701")
    assert view.phone == "(559) 555-0123"
    assert view.awaiting_disclosure and view.locked
    assert format_phone("555-0123") == "555-0123"


def test_staff_view_writes_one_access_event(db, make) -> None:  # type: ignore[no-untyped-def]
    agent = make.user(role=Role.AGENT)
    patient = make.patient()

    assert open_for_staff(db, agent, patient.id) is not None
    assert open_for_staff(db, agent, 987654) is None

    events = db.scalars(sa.select(AccessEvent)).all()
    assert [(e.patient_id, e.user_id, e.action, e.channel) for e in events] == [
        (patient.id, agent.id, AccessAction.VIEW, AccessChannel.PORTAL)
    ]


def test_active_link_for_refuses_other_ended_and_unlinked_links(db, make, link_for) -> None:  # type: ignore[no-untyped-def]
    parent, stranger = make.user(), make.user()
    # One record each: an account holds one link in force per record (a unique index).
    mine = link_for(parent, make.patient())
    ends_today = link_for(parent, make.patient(), ends_on=TODAY)
    ends_tomorrow = link_for(parent, make.patient(), ends_on=TODAY + timedelta(days=1))
    unlinked = link_for(parent, make.patient(), unlinked_at=utcnow())

    assert active_link_for(db, parent, mine.id, TODAY) is mine
    assert active_link_for(db, stranger, mine.id, TODAY) is None
    assert active_link_for(db, parent, ends_today.id, TODAY) is None
    assert active_link_for(db, parent, ends_tomorrow.id, TODAY) is ends_tomorrow
    assert active_link_for(db, parent, unlinked.id, TODAY) is None


def test_timeline_has_a_mark_per_group_entry_and_clear_ticks(db, make, add_schedule) -> None:  # type: ignore[no-untyped-def]
    patient = make.patient(birth_date=date(2012, 5, 17))
    add_schedule(patient)

    view = _view(db, patient)
    timeline = build_timeline(view)

    assert timeline is not None
    assert [len(r.markers) for r in timeline.rows] == [len(g.entries) for g in view.groups]
    diamonds = [m for r in timeline.rows for m in r.markers if m.combination]
    assert len(diamonds) == sum(1 for g in view.groups for e in g.entries if e.dose.is_combination)
    xs = [t.x for t in timeline.ticks]
    assert xs == sorted(xs) and timeline.ticks[0].months == 0
    for line in (False, True):
        same = [t.x for t in timeline.ticks if t.lower is line]
        assert all(b - a >= 58 for a, b in zip(same, same[1:], strict=False))
    for row in timeline.rows:
        assert all(timeline.plot_left <= m.x <= timeline.plot_right for m in row.markers)


def test_no_timeline_without_doses(db, make) -> None:  # type: ignore[no-untyped-def]
    assert build_timeline(_view(db, make.patient())) is None


def test_the_pages_row_queries_build_the_same_view_as_the_loaded_patient(db, make) -> None:  # type: ignore[no-untyped-def]
    from portal.registry import DoseKind, TbInterpretation, TbTestType

    clinic = make.org(name="Clínica Norte")
    patient = make.patient(birth_date=date(2015, 6, 10))
    make.dose(patient, cvx_code="110", given_on=date(2015, 8, 12), administering_org=clinic)
    abroad = {"administering_org": None, "administered_at_text": "Guadalajara", "lot_number": None}
    make.dose(
        patient, cvx_code="03", given_on=date(2016, 6, 15), kind=DoseKind.HISTORICAL, **abroad
    )
    make.dose(patient, cvx_code="999", given_on=date(2016, 6, 15), administering_org=None)
    make.dose(patient, cvx_code="03", given_on=date(2015, 1, 1))  # before birth: no age
    make.dose(patient, cvx_code="10", given_on=date(2016, 2, 2), deleted=True)
    make.tb_test(patient, test_type=TbTestType.BLOOD, placed_on=date(2025, 9, 3))
    make.tb_test(
        patient,
        placed_on=date(2024, 8, 5),
        read_on=date(2024, 8, 7),
        result="0 mm",
        interpretation=TbInterpretation.NEGATIVE,
        organization=clinic,
    )
    make.tb_test(patient, placed_on=date(2024, 1, 5), deleted=True)  # fmt: skip

    for locale in ("en", "es"):
        fast = load_record_view(db, patient.id, locale, TODAY)
        assert fast == _view(db, patient, locale)
        assert fast is not None and len(fast.doses) == 4 and len(fast.tb_tests) == 2
    assert load_record_view(db, patient.id + 1000, "en", TODAY) is None


def test_the_linked_view_checks_the_link_and_keeps_what_it_built(db, make) -> None:  # type: ignore[no-untyped-def]
    parent, stranger = make.user(role=Role.PARENT), make.user(role=Role.PARENT)
    patient = make.patient(birth_date=date(2020, 1, 10))
    make.dose(patient, cvx_code="03", given_on=date(2021, 1, 12))
    link = make.link(parent, patient)
    ended = make.link(parent, make.patient(), ends_on=TODAY)
    kept: Kept[RecordView] = Kept(4)

    first = load_linked_record_view(db, parent, link.id, "en", TODAY, kept)
    again = load_linked_record_view(db, parent, link.id, "en", TODAY, kept)

    assert first == load_record_view(db, patient.id, "en", TODAY) and first is again
    assert load_linked_record_view(db, stranger, link.id, "en", TODAY, kept) is None
    assert load_linked_record_view(db, parent, ended.id, "en", TODAY, kept) is None
    make.dose(patient, cvx_code="21", given_on=date(2021, 1, 12))
    changed = load_linked_record_view(db, parent, link.id, "en", TODAY, kept)
    assert changed is not None and changed.dose_count == 2 and len(kept) == 2
