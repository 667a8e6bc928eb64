"""One request worked by staff through the test client: each action, and each refusal."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.orm import utcnow
from portal.registry import AccessEvent
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus
from portal.requests.rules import RequestAction
from portal.requests.services import take_action


@pytest.fixture
def family(make):  # type: ignore[no-untyped-def]
    return make.user(locale="es")


@pytest.fixture
def agent(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.AGENT)


def new_request(
    db,
    family,
    kind=RequestKind.LOCK,
    patient=None,
    status=RequestStatus.SUBMITTED,
    assignee=None,
    details=None,
) -> Request:  # type: ignore[no-untyped-def]
    now = utcnow()
    request = Request(
        kind=kind,
        requester=family,
        patient=patient,
        status=status,
        assignee=assignee,
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
            public=True,
        )
    )
    db.commit()
    return request


def fresh(db, request: Request) -> Request:  # type: ignore[no-untyped-def]
    db.expire_all()
    return db.get(Request, request.id)


def act(client, request, action, note="", version=None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/staff/requests/{request.id}/action",
        data={"action": action, "note": note, "version": version or request.version},
    )


def test_the_page_shows_the_request_beside_its_record_and_logs_the_view(
    client, db, make, login, family, agent
) -> None:
    patient = make.patient(first_name="Sofia")
    make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20))
    request = new_request(db, family, patient=patient)
    login(client, agent)

    page = client.get(f"/staff/requests/{request.id}")

    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Sofia" in body and patient.registry_id in body and "MMR" in body
    assert "Claim" in body and "Approve" not in body  # the table offers no approval yet
    assert (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(AccessEvent)
            .where(AccessEvent.patient_id == patient.id, AccessEvent.user_id == agent.id)
        )
        == 1
    )


def test_claim_ask_note_and_release_move_the_request_and_write_the_timeline(
    client, db, login, family, agent
) -> None:
    request = new_request(db, family)
    login(client, agent)

    assert act(client, request, "claim").status_code == 302
    request = fresh(db, request)
    assert (request.status, request.assignee_id) == (RequestStatus.IN_REVIEW, agent.id)
    act(client, request, "note", "checked with the clinic")
    act(client, fresh(db, request), "ask_info", "Please send the clinic's record.")
    request = fresh(db, request)
    assert request.status is RequestStatus.NEEDS_INFO
    entries = [(e.action, e.public, e.note) for e in request.events]
    assert entries[1:] == [
        ("claim", True, None),
        ("note", False, "checked with the clinic"),
        ("ask_info", True, "Please send the clinic's record."),
    ]
    body = client.get(f"/staff/requests/{request.id}").get_data(as_text=True)
    assert "Staff only" in body


def test_release_hands_the_request_back(client, db, login, family, agent) -> None:
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    login(client, agent)
    act(client, request, "release")
    request = fresh(db, request)
    assert (request.status, request.assignee_id) == (RequestStatus.SUBMITTED, None)


def test_reject_needs_a_reason_and_the_family_sees_it(client, db, login, family, agent) -> None:
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    login(client, agent)

    empty = act(client, request, "reject", "  ")
    assert empty.status_code == 200 and "Write the message first." in empty.get_data(as_text=True)
    assert fresh(db, request).status is RequestStatus.IN_REVIEW

    act(client, request, "reject", "The record is already correct.")
    request = fresh(db, request)
    assert request.status is RequestStatus.REJECTED
    assert (request.events[-1].note, request.events[-1].public) == (
        "The record is already correct.",
        True,
    )


def test_a_stale_form_is_told_so_and_changes_nothing(client, db, login, family, agent) -> None:
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    old_version = request.version
    login(client, agent)
    act(client, request, "ask_info", "Which dose?")
    take_action(
        db, fresh(db, request), RequestAction.ANSWER, actor=family, note="The MMR.", now=utcnow()
    )  # the family answered: in review again, two versions later
    db.commit()

    answer = act(client, request, "reject", "too late", version=old_version)
    assert answer.status_code == 302
    request = fresh(db, request)
    assert (request.status, request.version) == (RequestStatus.IN_REVIEW, old_version + 2)
    assert "too late" not in [e.note for e in request.events]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Someone else changed this request first" in page


def test_another_agents_claimed_request_is_refused(client, db, make, login, family) -> None:
    holder, other = make.user(role=Role.AGENT), make.user(role=Role.AGENT)
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=holder)
    login(client, other)
    answer = act(client, request, "reject", "no")
    assert fresh(db, request).status is RequestStatus.IN_REVIEW
    assert "Another agent has claimed" in client.get(answer.headers["Location"]).get_data(
        as_text=True
    )


def test_an_action_the_table_does_not_offer_is_refused(client, db, login, family, agent) -> None:
    request = new_request(db, family)  # submitted: nothing to reject yet
    login(client, agent)
    act(client, request, "reject", "no")
    assert fresh(db, request).status is RequestStatus.SUBMITTED


@pytest.mark.parametrize("action", ["approve", "withdraw", "answer", "drop tables"])
def test_a_tampered_action_is_a_400(client, db, login, family, agent, action) -> None:
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    login(client, agent)
    assert act(client, request, action, "x").status_code == 400
    assert (
        client.post(
            f"/staff/requests/{request.id}/action",
            data={"action": "note", "note": "x", "version": "abc"},
        ).status_code
        == 400
    )


@pytest.mark.parametrize("role", [Role.PARENT, Role.SCHOOL_VERIFIER])
def test_family_and_school_accounts_reach_nothing(client, db, make, login, family, role) -> None:
    request = new_request(db, family)
    login(client, family if role is Role.PARENT else make.user(role=role))
    assert client.get(f"/staff/requests/{request.id}").status_code in (403, 404)
    assert act(client, request, "claim").status_code in (403, 404)
    assert client.get("/staff/requests/new").status_code in (403, 404)
    assert fresh(db, request).status is RequestStatus.SUBMITTED


def test_staff_without_the_second_factor_reach_nothing(client, db, login, family, agent) -> None:
    request = new_request(db, family)
    login(client, agent, mfa=False)
    assert client.get(f"/staff/requests/{request.id}").status_code != 200
    act(client, request, "claim")
    assert fresh(db, request).status is RequestStatus.SUBMITTED


def test_an_unknown_request_is_a_404(client, login, agent) -> None:
    login(client, agent)
    assert client.get("/staff/requests/999999").status_code == 404


def test_a_canned_reply_fills_the_message_in_the_familys_language(
    client, db, make, login, family, agent
) -> None:
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=agent)
    reply = make.canned_reply()
    retired = make.canned_reply(title_en="Old answer", text_es="Texto retirado", active=False)
    login(client, agent)
    body = client.get(f"/staff/requests/{request.id}?reply={reply.id}").get_data(as_text=True)
    assert "No pudimos leer el documento" in body  # family's account is in Spanish
    assert f'<option value="{reply.id}" selected>Ask for a clearer document</option>' in body
    assert "Old answer" not in body  # a retired answer is not offered
    body = client.get(f"/staff/requests/{request.id}?reply={retired.id}").get_data(as_text=True)
    assert "Texto retirado" not in body  # nor filled in from a typed address
    for unknown in ("nope", "999999", str(2**40)):
        answer = client.get(f"/staff/requests/{request.id}?reply={unknown}")
        assert answer.status_code == 200 and "No pudimos leer" not in answer.get_data(as_text=True)


def test_issuing_an_access_code_shows_it_once(client, db, make, login, family, agent) -> None:
    from portal.linking.models import AccessCode

    patient = make.patient()
    login(client, agent)
    answer = client.post(f"/staff/patients/{patient.id}/access-code")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    row = db.scalar(sa.select(AccessCode).where(AccessCode.patient_id == patient.id))
    assert row is not None and row.issued_by_id == agent.id
    assert client.post("/staff/patients/999999/access-code").status_code == 404
    assert client.post(f"/staff/patients/{patient.id}/access-code", csrf=False).status_code == 400


def test_filing_a_request_for_a_family_who_phoned(client, db, make, login, family, agent) -> None:
    patient = make.patient()
    login(client, agent)
    answer = client.post(
        "/staff/requests/new",
        data={
            "kind": "correction",
            "email": family.email.upper(),
            "registry_id": patient.registry_id,
            "channel": "phone",
            "description": "The MMR date is wrong: it was 2020-03-02.",
        },
    )
    assert answer.status_code == 302
    request = db.scalar(sa.select(Request).where(Request.requester_id == family.id))
    assert (request.kind, request.patient_id, request.details["channel"]) == (
        RequestKind.CORRECTION,
        patient.id,
        "phone",
    )
    assert [(e.action, e.actor_id, e.public) for e in request.events] == [
        ("submitted", agent.id, True)
    ]
    assert "filed by the help desk (Phone)" in client.get(answer.headers["Location"]).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "change",
    [
        {"channel": "carrier pigeon"},
        {"kind": "everything"},
        {"email": "nobody@example.org"},
        {"registry_id": "CA-NOPE"},
        {"registry_id": ""},
        {"description": ""},
    ],
)
def test_a_bad_filing_is_a_form_error_and_files_nothing(
    client, db, make, login, family, agent, change
) -> None:
    patient = make.patient()
    login(client, agent)
    data = {
        "kind": "lock",
        "email": family.email,
        "registry_id": patient.registry_id,
        "channel": "fax",
        "description": "Lock it please.",
        **change,
    }
    answer = client.post("/staff/requests/new", data=data)
    assert answer.status_code == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(Request)) == 0


def test_a_filed_document_must_be_a_real_document(client, db, make, login, family, agent) -> None:
    import io

    patient = make.patient()
    login(client, agent)
    data = {
        "kind": "lock",
        "email": family.email,
        "registry_id": patient.registry_id,
        "channel": "mail",
        "description": "Lock.",
        "document": (io.BytesIO(b"<script>alert(1)</script>"), "letter.pdf"),
    }
    answer = client.post("/staff/requests/new", data=data, content_type="multipart/form-data")
    assert answer.status_code == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(Request)) == 0


def test_a_supervisor_may_step_in_on_a_claimed_request(client, db, make, login, family) -> None:
    holder = make.user(role=Role.AGENT)
    request = new_request(db, family, status=RequestStatus.IN_REVIEW, assignee=holder)
    login(client, make.user(role=Role.SUPERVISOR))
    act(client, request, "reject", "A duplicate of another request.")
    assert fresh(db, request).status is RequestStatus.REJECTED


def test_the_page_of_a_request_in_review_has_each_form_and_no_id_twice(
    client, db, make, login, family, agent
) -> None:
    request = new_request(
        db, family, kind=RequestKind.CORRECTION, patient=make.patient(),
        status=RequestStatus.IN_REVIEW, assignee=agent,
    )  # fmt: skip
    login(client, agent)
    body = client.get(f"/staff/requests/{request.id}").get_data(as_text=True)
    for action in ("release", "ask_info", "reject", "note"):
        assert f'name="action" value="{action}"' in body
    assert f"/staff/requests/{request.id}/approve" in body
    ids = re.findall(r'\sid="([^"]+)"', body)  # several forms on one page
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
