"""The conformance folder's VXUs posted to /exchange/hl7 through the test client: each gets
the ACK its test step expects (the plan's, for the ONC pairs, but the steps whose IIS is
simulated: see test_conformance.SIMULATED), and the fields the plans name are stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.exchange.hl7 import build_ack, check
from portal.exchange.models import DoseRefusal
from portal.registry import DoseKind, Immunization, Patient, RegistryStatus

from .client import NOW, errors, msa, sender
from .samples import hl7_root
from .test_conformance import ONC, SIMULATED, _answer, _expected_pairs, _plan_paths


def _patient(db) -> Patient:  # type: ignore[no-untyped-def]
    db.expire_all()
    [patient] = db.scalars(sa.select(Patient))
    return patient


def _doses(db, patient: Patient) -> list[Immunization]:  # type: ignore[no-untyped-def]
    query = sa.select(Immunization).where(Immunization.patient_id == patient.id)
    return list(db.scalars(query.order_by(Immunization.id)))


def _onc(case: str) -> bytes:
    return (hl7_root() / ONC / case / "TestStep_1" / "Message.txt").read_bytes()


@pytest.mark.parametrize("path", _plan_paths(b"VXU^V04"))
def test_every_vxu_posted_gets_the_answer_its_check_gives_and_is_stored(
    path: Path, client, db, make
) -> None:
    hl7_root()
    data = path.read_bytes()
    checked = check(data, today=NOW.date())
    expected = _answer(build_ack(checked.received, checked.problems, control_id="X", now=NOW))
    clinic = sender(db, make)
    ack = clinic.ack(client, data)
    assert (msa(ack), sorted(sev for _, sev in errors(ack))) == expected
    stored = db.scalar(sa.select(sa.func.count()).select_from(Patient))
    has_errors = any(p.severity == "E" for p in checked.problems)
    assert stored == (0 if has_errors else 1)


@pytest.mark.parametrize(("case", "vxu", "plan_ack"), _expected_pairs())
def test_the_onc_plans_ack_through_the_endpoint(case, vxu, plan_ack, client, db, make) -> None:
    clinic = sender(db, make)
    ack = clinic.ack(client, vxu.read_bytes())
    ours = (msa(ack), sorted(sev for _, sev in errors(ack)))
    if case in SIMULATED:
        assert ours == ("AA", []), SIMULATED[case]
    else:
        assert ours == _answer(plan_ack.read_bytes())


def test_admin_child_stores_five_doses_two_historical_the_guardian_and_pd1(client, db, make):
    clinic = sender(db, make)
    assert msa(clinic.ack(client, _onc("TestCase_1"))) == "AA"
    patient = _patient(db)
    assert (patient.first_name, patient.last_name, patient.birth_date) == (
        "Russell", "Richardson", date(2015, 4, 15))  # fmt: skip
    assert patient.shared and patient.sharing_effective_on == date(2015, 6, 24)
    assert patient.status is RegistryStatus.ACTIVE and patient.owner_org_id == clinic.org_id
    assert patient.guardian_name and patient.phone == "4065557690"
    doses = _doses(db, patient)
    assert [d.cvx_code for d in doses] == ["120", "116", "133", "45", "45"]
    assert [d.kind for d in doses].count(DoseKind.HISTORICAL) == 2
    assert doses[0].lot_number == "526434" and doses[0].mvx_code == "PMC"
    assert doses[3].given_on == date(2015, 4, 16) and doses[3].administering_org_id is None


def test_no_consent_locks_the_record_from_pd1_13(client, db, make) -> None:
    clinic = sender(db, make)
    assert msa(clinic.ack(client, _onc("TestCase_3"))) == "AA"
    patient = _patient(db)
    assert patient.locked and patient.sharing_effective_on == date(2015, 6, 24)
    assert patient.owner_org_id == clinic.org_id


def test_the_delete_removes_the_dose_the_same_order_added(client, db, make) -> None:
    clinic = sender(db, make)
    delete = _onc("TestCase_4")
    assert delete.rstrip(b"\r\n").endswith(b"|D") or b"|CP|D" in delete
    assert msa(clinic.ack(client, delete)) == "AA"  # nothing to delete yet: a note, still AA
    assert _doses(db, _patient(db)) == []
    added = delete.replace(b"|CP|D", b"|CP|A")
    assert msa(clinic.ack(client, added)) == "AA"
    assert [d.deleted for d in _doses(db, _patient(db))] == [False]
    assert msa(clinic.ack(client, delete)) == "AA"
    db.expire_all()
    assert [d.deleted for d in _doses(db, _patient(db))] == [True]


def test_a_refusal_then_an_update_of_one_dose(client, db, make) -> None:
    clinic = sender(db, make)
    assert msa(clinic.ack(client, _onc("TestCase_5"))) == "AA"
    patient = _patient(db)
    doses = _doses(db, patient)
    assert len(doses) == 3 and "21" not in {d.cvx_code for d in doses}
    refusal = db.scalar(sa.select(DoseRefusal))
    assert (refusal.cvx_code, refusal.reason_code, refusal.refused_on) == (
        "21", "00", date(2015, 6, 24))  # fmt: skip
    vaqta = next(d for d in doses if d.lot_number == "208940")
    assert msa(clinic.ack(client, _onc("TestCase_6"))) == "AA"
    db.expire_all()
    assert len(_doses(db, patient)) == 3
    assert db.get(Immunization, vaqta.id).lot_number == "208490"
