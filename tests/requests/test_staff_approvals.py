"""Approving through the staff page: a verification links the parent, a correction edits
the record and keeps the before, and both happen in the approving transaction."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.linking.models import LinkMethod, PatientLink
from portal.orm import utcnow
from portal.registry import AccessAction, AccessEvent, Immunization, Patient
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus


@pytest.fixture
def family(make):  # type: ignore[no-untyped-def]
    return make.user()


@pytest.fixture
def agent(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.AGENT)


def claimed(db, family, agent, kind, patient=None, details=None) -> Request:  # type: ignore[no-untyped-def]
    now = utcnow()
    request = Request(
        kind=kind,
        requester=family,
        patient=patient,
        assignee=agent,
        status=RequestStatus.IN_REVIEW,
        details=details or {},
        created_at=now,
        updated_at=now,
    )
    db.add(request)
    db.add(
        RequestEvent(
            request=request,
            at=now,
            actor_id=family.id,
            action="submitted",
            status=RequestStatus.SUBMITTED,
        )
    )
    db.commit()
    return request


def fresh(db, request):  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.get(Request, request.id)


VERIFICATION = {
    "first_name": "Sofia",
    "last_name": "Lopez",
    "birth_date": "2019-03-14",
    "relationship": "guardian",
}


def test_a_verification_asks_to_confirm_then_links_the_parent(
    client, db, make, login, family, agent
) -> None:
    patient = make.patient(first_name="Sofia")
    request = claimed(db, family, agent, RequestKind.VERIFICATION, details=VERIFICATION)
    login(client, agent)
    url = f"/staff/requests/{request.id}/approve"

    confirm = client.post(
        url, data={"version": request.version, "registry_id": patient.registry_id.lower()}
    )
    assert confirm.status_code == 200 and "Link and approve" in confirm.get_data(as_text=True)
    assert fresh(db, request).status is RequestStatus.IN_REVIEW  # nothing yet
    assert db.scalar(sa.select(PatientLink)) is None

    done = client.post(
        url, data={"version": request.version, "registry_id": patient.registry_id, "confirmed": "y"}
    )
    assert done.status_code == 302
    request = fresh(db, request)
    assert (request.status, request.patient_id) == (RequestStatus.APPROVED, patient.id)
    link = db.scalar(sa.select(PatientLink).where(PatientLink.user_id == family.id))
    assert (link.patient_id, link.method, link.relationship_.value) == (
        patient.id,
        LinkMethod.MANUAL,
        "guardian",
    )

    # ... and the child is on the parent's "My records".
    login(client, family)
    assert "Sofia" in client.get("/records").get_data(as_text=True)


def test_a_verification_with_an_unknown_registry_id_is_a_form_error(
    client, db, login, family, agent
) -> None:
    request = claimed(db, family, agent, RequestKind.VERIFICATION, details=VERIFICATION)
    login(client, agent)
    answer = client.post(
        f"/staff/requests/{request.id}/approve",
        data={"version": request.version, "registry_id": "CA-NONE", "confirmed": "y"},
    )
    assert answer.status_code == 200
    assert "No record has this registry ID." in answer.get_data(as_text=True)
    assert fresh(db, request).status is RequestStatus.IN_REVIEW


def test_a_correction_changes_the_dose_keeps_the_before_and_revokes_old_cards(
    client, db, make, login, family, agent, monkeypatch
) -> None:
    import portal.requests.corrections as corrections

    revoked = []
    monkeypatch.setattr(
        corrections, "revoke_cards_before", lambda db, patient, now: revoked.append(patient.id)
    )
    patient = make.patient()
    dose = make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20))
    request = claimed(db, family, agent, RequestKind.CORRECTION, patient=patient)
    login(client, agent)

    answer = client.post(
        f"/staff/requests/{request.id}/approve",
        data={
            "version": request.version,
            "dose_id": str(dose.id),
            "given_on": "2020-03-02",
            "cvx_code": "94",
            "field": "",
            "value": "",
            "note": "Fixed from the clinic's chart.",
        },
    )

    assert answer.status_code == 302
    db.expire_all()
    dose = db.get(Immunization, dose.id)
    assert (dose.given_on, dose.cvx_code) == (date(2020, 3, 2), "94")
    request = fresh(db, request)
    assert request.status is RequestStatus.APPROVED
    (change,) = request.details["changes"]
    assert (change["before"], change["after"]) == (
        {"given_on": "2020-03-20", "cvx_code": "03", "deleted": False},
        {"given_on": "2020-03-02", "cvx_code": "94", "deleted": False},
    )
    assert revoked == [patient.id]
    assert (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(AccessEvent)
            .where(AccessEvent.patient_id == patient.id, AccessEvent.action == AccessAction.UPDATE)
        )
        == 1
    )


def test_a_correction_removes_a_duplicate_dose(client, db, make, login, family, agent) -> None:
    patient = make.patient()
    dose = make.dose(patient)
    request = claimed(db, family, agent, RequestKind.CORRECTION, patient=patient)
    login(client, agent)
    client.post(
        f"/staff/requests/{request.id}/approve",
        data={"version": request.version, "dose_id": str(dose.id), "remove": "y"},
    )
    db.expire_all()
    assert db.get(Immunization, dose.id).deleted is True
    assert fresh(db, request).details["changes"][0]["after"]["deleted"] is True


def test_a_correction_of_a_personal_detail(client, db, make, login, family, agent) -> None:
    patient = make.patient(last_name="Lopes")
    request = claimed(db, family, agent, RequestKind.CORRECTION, patient=patient)
    login(client, agent)
    client.post(
        f"/staff/requests/{request.id}/approve",
        data={"version": request.version, "dose_id": "", "field": "last_name", "value": "Lopez"},
    )
    db.expire_all()
    assert db.get(Patient, patient.id).last_name == "Lopez"
    change = fresh(db, request).details["changes"][0]
    assert (change["field"], change["before"], change["after"]) == ("last_name", "Lopes", "Lopez")


@pytest.mark.parametrize(
    "data",
    [
        {"dose_id": "", "field": ""},  # nothing chosen
        {"dose_id": "DOSE", "field": "last_name", "value": "X"},  # both chosen
        {"dose_id": "DOSE"},  # a dose with no change
        {"dose_id": "DOSE", "given_on": "2020-03-20"},  # the same date: no change
        {"dose_id": "999999", "remove": "y"},  # another record's or no dose
        {"dose_id": "DOSE", "cvx_code": "9999"},  # a vaccine outside the list
        {"dose_id": "", "field": "email", "value": "x@example.org"},  # not a correctable field
        {"dose_id": "", "field": "last_name", "value": "  "},  # a required detail emptied
        {"dose_id": "", "field": "birth_date", "value": "14/03/2019"},
        {"dose_id": "DOSE", "given_on": "not a date"},
    ],
)
def test_a_bad_correction_is_a_form_error_and_changes_nothing(
    client, db, make, login, family, agent, data
) -> None:
    patient = make.patient()
    dose = make.dose(patient, given_on=date(2020, 3, 20))
    request = claimed(db, family, agent, RequestKind.CORRECTION, patient=patient)
    login(client, agent)
    data = {k: (str(dose.id) if v == "DOSE" else v) for k, v in data.items()}
    answer = client.post(
        f"/staff/requests/{request.id}/approve", data={"version": request.version, **data}
    )
    assert answer.status_code == 200
    db.expire_all()
    assert fresh(db, request).status is RequestStatus.IN_REVIEW
    dose = db.get(Immunization, dose.id)
    assert (dose.given_on, dose.deleted, dose.cvx_code) == (date(2020, 3, 20), False, "03")


def test_a_stale_approval_changes_nothing(client, db, make, login, family, agent) -> None:
    patient = make.patient()
    dose = make.dose(patient, given_on=date(2020, 3, 20))
    request = claimed(db, family, agent, RequestKind.CORRECTION, patient=patient)
    login(client, agent)
    client.post(
        f"/staff/requests/{request.id}/action",
        data={"action": "ask_info", "note": "Which?", "version": request.version},
    )
    answer = client.post(
        f"/staff/requests/{request.id}/approve",
        data={"version": request.version, "dose_id": str(dose.id), "remove": "y"},
    )
    assert answer.status_code in (200, 302)
    db.expire_all()
    assert db.get(Immunization, dose.id).deleted is False
    assert fresh(db, request).status is RequestStatus.NEEDS_INFO


def test_approving_a_kind_without_an_effect_says_so(client, db, make, login, family, agent) -> None:
    from portal.requests import effects

    if RequestKind.LOCK in effects._ON_APPROVE:  # the family branch registers it
        pytest.skip("lock approval has its effect")
    request = claimed(db, family, agent, RequestKind.LOCK, patient=make.patient())
    login(client, agent)
    answer = client.post(f"/staff/requests/{request.id}/approve", data={"version": request.version})
    assert answer.status_code == 302
    assert fresh(db, request).status is RequestStatus.IN_REVIEW


@pytest.fixture
def signed(settings, app, db):  # type: ignore[no-untyped-def]
    """sign(patient): a printout's card, signed as the print view would, committed."""
    from portal.proof.issuance import issue_proof

    keyring = app.extensions["portal.proof.keyring"]

    def sign(patient):  # type: ignore[no-untyped-def]
        proof = issue_proof(
            db, patient, issuer_url=keyring.issuer, key=keyring.signing_key,
            rid_secret=keyring.rid_secret, now=utcnow(),
        )  # fmt: skip
        db.commit()
        return proof

    return sign


@pytest.mark.parametrize(("data", "revoked"), [
    ({"dose_id": "DOSE", "given_on": "2020-03-02"}, True),
    ({"dose_id": "", "field": "birth_date", "value": "2019-03-15"}, True),
    ({"dose_id": "", "field": "phone", "value": "5595550199"}, False),  # not on the card
])  # fmt: skip
def test_a_correction_revokes_the_cards_printed_before_it(
    client, db, make, login, family, agent, signed, data, revoked
) -> None:
    from portal.proof.models import IssuedCard

    patient = make.patient()
    dose = make.dose(patient, given_on=date(2020, 3, 20))
    signed(patient)
    request = claimed(db, family, agent, RequestKind.CORRECTION, patient=patient)
    login(client, agent)
    data = {k: (str(dose.id) if v == "DOSE" else v) for k, v in data.items()}
    answer = client.post(
        f"/staff/requests/{request.id}/approve", data={"version": request.version, **data}
    )
    assert answer.status_code == 302
    db.expire_all()
    card = db.scalar(sa.select(IssuedCard).where(IssuedCard.patient_id == patient.id))
    assert (card.revoked_at is not None) is revoked


def test_a_parent_is_not_linked_to_a_grown_up_record(
    client, db, make, login, family, agent
) -> None:
    adult = make.patient(birth_date=date(1990, 1, 2))
    request = claimed(db, family, agent, RequestKind.VERIFICATION, details=VERIFICATION)
    login(client, agent)
    answer = client.post(
        f"/staff/requests/{request.id}/approve",
        data={"version": request.version, "registry_id": adult.registry_id, "confirmed": "y"},
    )
    assert "This person is an adult now" in answer.get_data(as_text=True)
    assert fresh(db, request).status is RequestStatus.IN_REVIEW
    assert db.scalar(sa.select(PatientLink)) is None
