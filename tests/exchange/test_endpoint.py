"""POST /exchange/hl7: credentials, size, dispatch, and a VXU stored (submit.py)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.exchange import submit as submit_module
from portal.exchange.models import DoseOrder, DoseRefusal, PatientIdentifier
from portal.exchange.views import MAX_BODY
from portal.registry import (
    AccessAction,
    AccessEvent,
    AccessOutcome,
    DoseKind,
    Immunization,
    Patient,
    RegistryStatus,
)

from .client import basic, errors, msa, sender
from .samples import VXU_8


def vxu(*, rxa: str | None = None, orc: str = "DOSE-1", pd1_12: str = "Y",
        last: str = "Garc\\XC3AD\\a", pid3: str = "MRN-77^^^SUNRISE^MR",
        pd1_16: str = "A") -> str:  # fmt: skip
    lines = VXU_8.rstrip("\r").split("\r")
    lines[1] = (
        lines[1].replace("MRN-77^^^SUNRISE^MR", pid3).replace("Garc\\XC3AD\\a^", last + "^", 1)
    )
    lines[2] = lines[2].replace("|Y|20260301|||A|", f"|{pd1_12}|20260301|||{pd1_16}|")
    lines[4] = lines[4].replace("DOSE-1", orc)
    if rxa is not None:
        lines[5] = rxa
    return "\r".join(lines) + "\r"


RXA = ("RXA|0|1|20260301||08^Hep B, adolescent or pediatric^CVX|0.5|mL^mL^UCUM||{src}^x^NIP001|"
       "|^^^SUNRISE||||{lot}|20270101|MSD^Merck^MVX|{reason}||{completion}|{action}")  # fmt: skip


def rxa(*, src: str = "00", lot: str = "LOT42", reason: str = "", completion: str = "CP",
        action: str = "A") -> str:  # fmt: skip
    return RXA.format(src=src, lot=lot, reason=reason, completion=completion, action=action)


def patients(db) -> list[Patient]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(db.scalars(sa.select(Patient)))


def doses(db, patient: Patient) -> list[Immunization]:  # type: ignore[no-untyped-def]
    return list(db.scalars(sa.select(Immunization).where(Immunization.patient_id == patient.id)))


def events(db, patient: Patient) -> list[AccessEvent]:  # type: ignore[no-untyped-def]
    return list(db.scalars(sa.select(AccessEvent).where(AccessEvent.patient_id == patient.id)
                           .order_by(AccessEvent.id)))  # fmt: skip


def test_a_new_patient_is_created_owned_by_the_sender_and_locked_by_pd1_12(
    client, db, make
) -> None:
    clinic = sender(db, make, identifier="SUNRISE")
    ack = clinic.ack(client, VXU_8)
    assert msa(ack) == "AA" and ack.value(ack.first("MSA"), 2) == "MSG-0001"
    assert ack.header.profile == "Z23"
    [patient] = patients(db)
    assert (patient.first_name, patient.last_name) == ("Sofía", "García")
    assert patient.birth_date == date(2020, 1, 15) and patient.owner_org_id == clinic.org_id
    assert patient.locked and patient.sharing_effective_on == date(2026, 3, 1)
    assert patient.status is RegistryStatus.ACTIVE and patient.guardian_name == "Ana Garcia"
    assert patient.phone == "5595551234" and patient.address_city == "Fresno"
    [dose] = doses(db, patient)
    assert (dose.cvx_code, dose.given_on, dose.lot_number, dose.mvx_code) == (
        "08",
        date(2026, 3, 1),
        "LOT|42",
        "MSD",
    )
    assert dose.kind is DoseKind.ADMINISTERED and dose.administering_org_id == clinic.org_id
    assert db.scalar(sa.select(DoseOrder.order_id)) == "DOSE-1"
    assert db.scalar(sa.select(PatientIdentifier.identifier)) == "MRN-77"
    [event] = events(db, patient)
    assert (event.action, event.outcome, event.organization_id) == (
        AccessAction.SUBMIT,
        AccessOutcome.ALLOWED,
        clinic.org_id,
    )


def test_sent_again_adds_nothing_and_is_an_update_event(client, db, make) -> None:
    clinic = sender(db, make)
    assert msa(clinic.ack(client, VXU_8)) == "AA"
    assert msa(clinic.ack(client, VXU_8)) == "AA"
    [patient] = patients(db)
    assert len(doses(db, patient)) == 1
    assert [e.action for e in events(db, patient)] == [AccessAction.SUBMIT, AccessAction.UPDATE]


def test_matched_by_the_organizations_id_even_with_another_name(client, db, make) -> None:
    clinic = sender(db, make)
    clinic.ack(client, VXU_8)
    assert (
        msa(
            clinic.ack(
                client,
                vxu(last="Smith", orc="DOSE-2", rxa=rxa().replace("20260301", "20260401", 1)),
            )
        )
        == "AA"
    )
    [patient] = patients(db)
    assert sorted(d.given_on for d in doses(db, patient)) == [date(2026, 3, 1), date(2026, 4, 1)]


def test_matched_by_registry_id_and_by_demographics(client, db, make) -> None:
    owner = make.org()
    known = make.patient(first_name="Sofia", last_name="GARCIA", birth_date=date(2020, 1, 15),
                         shared=True, disclosed=True, owner=owner)  # fmt: skip
    clinic = sender(db, make)
    assert (
        msa(clinic.ack(client, vxu(pid3="NEW-1^^^X^MR", pd1_12="N"))) == "AA"
    )  # demographics, tolerant
    assert len(patients(db)) == 1 and len(doses(db, known)) == 1
    other = sender(db, make)
    by_id = vxu(pid3=f"{known.registry_id}^^^REGISTRY^SR", last="Different", orc="D-9", pd1_12="N",
                rxa=rxa(lot="L2").replace("08^Hep B", "10^IPV", 1))  # fmt: skip
    assert msa(other.ack(client, by_id)) == "AA"
    assert len(patients(db)) == 1 and {d.cvx_code for d in doses(db, known)} == {"08", "10"}


def test_update_and_delete_by_the_senders_order_id(client, db, make) -> None:
    clinic = sender(db, make)
    clinic.ack(client, VXU_8)
    assert msa(clinic.ack(client, vxu(rxa=rxa(lot="NEWLOT", action="U")))) == "AA"
    [patient] = patients(db)
    [dose] = doses(db, patient)
    assert dose.lot_number == "NEWLOT" and not dose.deleted
    assert msa(clinic.ack(client, vxu(rxa=rxa(action="D")))) == "AA"
    db.expire_all()
    assert [d.deleted for d in doses(db, patient)] == [True]


def test_a_refusal_is_kept_apart_from_the_doses(client, db, make) -> None:
    clinic = sender(db, make)
    ack = clinic.ack(client, vxu(rxa=rxa(reason="00^Parental decision^NIP002", completion="RE",
                                         lot="")))  # fmt: skip
    assert msa(ack) == "AA", errors(ack)
    [patient] = patients(db)
    assert doses(db, patient) == []
    refusal = db.scalar(sa.select(DoseRefusal))
    assert (refusal.cvx_code, refusal.refused_on, refusal.reason_code) == (
        "08",
        date(2026, 3, 1),
        "00",
    )


def test_a_historical_dose_is_not_given_by_the_sender(client, db, make) -> None:
    clinic = sender(db, make)
    assert msa(clinic.ack(client, vxu(rxa=rxa(src="01")))) == "AA"
    [dose] = doses(db, patients(db)[0])
    assert dose.kind is DoseKind.HISTORICAL and dose.administering_org_id is None
    assert dose.reported_by_org_id == clinic.org_id


def test_pd1_12_n_shares_and_pd1_16_sets_the_status(client, db, make) -> None:
    clinic = sender(db, make)
    clinic.ack(client, VXU_8)
    assert msa(clinic.ack(client, vxu(pd1_12="N", pd1_16="I"))) == "AA"
    [patient] = patients(db)
    assert patient.shared and patient.status is RegistryStatus.INACTIVE


def test_a_locked_record_of_another_owner_is_not_merged(client, db, make) -> None:
    clinic = sender(db, make)
    clinic.ack(client, VXU_8)
    [patient] = patients(db)
    other = sender(db, make)
    before = len(doses(db, patient))
    ack = other.ack(client, vxu(pid3="THEIRS-1^^^OTHER^MR", orc="X-1",
                                rxa=rxa().replace("08^Hep B", "10^IPV", 1)))  # fmt: skip
    assert msa(ack) == "AE" and ("206", "E") in errors(ack)
    assert len(patients(db)) == 1 and len(doses(db, patient)) == before
    assert db.scalar(sa.select(sa.func.count()).select_from(PatientIdentifier)) == 1
    refused = events(db, patient)[-1]
    assert (refused.organization_id, refused.outcome, refused.action, refused.reason) == (
        other.org_id,
        AccessOutcome.DENIED,
        AccessAction.UPDATE,
        "not shared",
    )


def test_errors_answer_ae_and_write_nothing(client, db, make) -> None:
    clinic = sender(db, make)
    ack = clinic.ack(client, vxu(rxa=rxa().replace("20260301", "20990301", 1)))  # future dose
    assert msa(ack) == "AE" and any(sev == "E" for _, sev in errors(ack))
    assert patients(db) == []


def test_a_failure_anywhere_leaves_nothing_half_written(client, db, make, monkeypatch,
                                                        caplog) -> None:  # fmt: skip
    clinic = sender(db, make)

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire for García")

    monkeypatch.setattr(submit_module, "_dose", broken)  # after the patient is written
    ack = clinic.ack(client, VXU_8)
    assert msa(ack) == "AE" and errors(ack) == [("207", "E")]
    assert patients(db) == []
    assert "RuntimeError" in caplog.text and "García" not in caplog.text  # no PHI logged
    assert db.scalar(sa.select(sa.func.count()).select_from(PatientIdentifier)) == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(AccessEvent)) == 0


@pytest.mark.parametrize("headers", [
    {}, basic("nobody", "x"), {"Authorization": "Bearer abc"}, {"Authorization": "Basic !!!"},
])  # fmt: skip
def test_no_or_wrong_credentials_get_a_bare_401(client, db, make, headers) -> None:
    sender(db, make)
    answer = client.post("/exchange/hl7", data=VXU_8, headers=headers, csrf=False)
    assert answer.status_code == 401 and answer.data == b""
    assert answer.headers["WWW-Authenticate"].startswith("Basic")
    assert patients(db) == []


def test_a_right_username_with_a_wrong_password_is_401(client, db, make) -> None:
    clinic = sender(db, make)
    username = clinic.headers["Authorization"]
    import base64

    name = base64.b64decode(username.split()[1]).decode().split(":")[0]
    answer = client.post("/exchange/hl7", data=VXU_8, headers=basic(name, "wrong"), csrf=False)
    assert answer.status_code == 401 and answer.data == b""


def test_a_body_over_the_limit_is_413(client, db, make) -> None:
    clinic = sender(db, make)
    answer = clinic.post(client, VXU_8 + "Z" * MAX_BODY)
    assert answer.status_code == 413 and patients(db) == []


@pytest.mark.parametrize("body", [
    b"", b"hello", b"MSH|^~\\&|A|B|C|D|20260301||ADT^A01|X1|P|2.5.1\r",
    VXU_8.replace("2.5.1", "2.3").encode(), b"\xff\xfe\x00garbage", VXU_8.encode()[:60],
])  # fmt: skip
def test_anything_else_is_answered_ar_never_a_500(client, db, make, body) -> None:
    clinic = sender(db, make)
    ack = clinic.ack(client, body)
    assert msa(ack) == "AR"
    assert patients(db) == []


def test_the_familys_who_looked_list_words_each_submit(client, db, make) -> None:
    from portal.records.access_log import all_rows, what_words, who

    clinic = sender(db, make, name="Sunrise Pediatrics")
    clinic.ack(client, VXU_8)
    clinic.ack(client, VXU_8)
    other = sender(db, make, name="Elsewhere Clinic")
    other.ack(client, vxu(pid3="THEIRS-1^^^OTHER^MR"))
    [patient] = patients(db)
    same = str
    words = [(who(r, same), what_words(r, same)) for r in all_rows(db, patient.id)]
    assert words == [
        ("Elsewhere Clinic", "Tried to update the record and was refused, "
                             "because the record is locked (not shared)"),
        ("Sunrise Pediatrics", "Updated the record"),
        ("Sunrise Pediatrics", "Sent shots to the record"),
    ]  # fmt: skip


def test_a_permanently_inactive_record_takes_no_new_entries(client, db, make) -> None:
    clinic = sender(db, make)
    clinic.ack(client, vxu(pd1_16="P"))
    [patient] = patients(db)
    assert patient.status is RegistryStatus.DECEASED
    ack = clinic.ack(client, vxu(orc="D-2", rxa=rxa().replace("08^Hep B", "10^IPV", 1)))
    assert msa(ack) == "AE" and ("206", "E") in errors(ack)
    assert [d.cvx_code for d in doses(db, patient)] == ["08"]
    assert events(db, patient)[-1].reason == "no new entries"



def test_a_school_may_not_submit(client, db, make) -> None:
    from portal.registry import OrgKind

    school = sender(db, make, kind=OrgKind.SCHOOL)
    ack = school.ack(client, VXU_8)
    assert msa(ack) == "AR" and errors(ack) == [("207", "E")]
    assert patients(db) == []


def test_a_database_error_midway_rolls_back_to_the_savepoint(client, db, make, monkeypatch):
    clinic = sender(db, make)
    real = submit_module._dose

    def then_a_bad_row(session, organization, patient, dose):  # type: ignore[no-untyped-def]
        real(session, organization, patient, dose)  # the dose is written, then:
        session.add(DoseOrder(immunization_id=2**31 - 1, organization_id=organization.id,
                              order_id="no such dose"))  # fmt: skip
        session.flush()  # a foreign key the database refuses

    monkeypatch.setattr(submit_module, "_dose", then_a_bad_row)
    ack = clinic.ack(client, VXU_8)
    assert msa(ack) == "AE" and errors(ack) == [("207", "E")]
    assert patients(db) == []
    assert db.scalar(sa.select(sa.func.count()).select_from(Immunization)) == 0
    monkeypatch.setattr(submit_module, "_dose", real)
    assert msa(clinic.ack(client, VXU_8)) == "AA"  # the session is usable again
    assert len(patients(db)) == 1


def test_pd1_12_without_its_date_takes_the_messages_date(client, db, make) -> None:
    clinic = sender(db, make)
    ack = clinic.ack(client, VXU_8.replace("|Y|20260301|||A|", "|Y||||A|"))
    assert msa(ack) == "AA"  # an informational note only
    [patient] = patients(db)
    assert patient.locked and patient.sharing_effective_on == date(2026, 3, 1)  # MSH-7's day
