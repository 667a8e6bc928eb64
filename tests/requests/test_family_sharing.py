"""Lock or unlock from the family's side: the page, one pending request per record, the effect."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.accounts.models import Role
from portal.registry.patients import Patient
from portal.requests.models import RequestKind, RequestStatus
from portal.requests.rules import RequestAction
from portal.requests.services import take_action
from portal.requests.sharing import local_day

from .family_helpers import requests_in, token_of


@pytest.fixture
def family(make, login, client):  # type: ignore[no-untyped-def]
    parent = make.user()
    child = make.patient(first_name="Maya", shared=True, sharing_effective_on=date(2020, 1, 2))
    link = make.link(parent, child)
    login(client, parent)
    return parent, child, link


def test_the_page_says_what_a_lock_does_and_does_not(client, family) -> None:
    _, _, link = family
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    assert "Shared since January 2, 2020" in page
    assert "Only the organization that created the record" in page
    assert "Schools, child care" in page and "are refused" in page
    assert "You still see everything" in page and "Shots are still recorded" in page
    assert "Ask to lock this record" in page


def test_asking_to_lock_files_one_request_and_a_resent_form_finds_it(client, db, family) -> None:
    parent, child, link = family
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    form = {"token": token_of(page), "kind": "lock", "note": ""}
    first = client.post(f"/records/{link.id}/sharing", data=form)
    again = client.post(f"/records/{link.id}/sharing", data=dict(form))
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == "/requests"
    requests = requests_in(db)
    assert [(r.kind, r.patient_id, r.requester_id) for r in requests] == [
        (RequestKind.LOCK, child.id, parent.id)
    ]
    assert "already sent" in client.get("/requests").get_data(as_text=True)


def test_a_second_pending_lock_is_refused_with_a_clear_message(
    client, db, make, login, family
) -> None:
    _, child, link = family
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    client.post(f"/records/{link.id}/sharing", data={"token": token_of(page), "kind": "lock"})

    # The other parent of the same child, with a form of their own.
    other = make.user()
    other_link = make.link(other, child)
    other_client = client.application.test_client()
    login(other_client, other)
    response = other_client.post(
        f"/records/{other_link.id}/sharing", data={"token": "x" * 32, "kind": "lock"}
    )
    assert response.status_code == 409
    assert "already has a request to lock or unlock" in response.get_data(as_text=True)
    assert len(requests_in(db)) == 1


def test_a_form_from_before_the_sharing_changed_files_nothing(client, db, family) -> None:
    _, child, link = family
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    child.shared = False
    db.commit()
    response = client.post(
        f"/records/{link.id}/sharing", data={"token": token_of(page), "kind": "lock"}
    )
    assert response.status_code == 302
    assert requests_in(db) == []


@pytest.mark.parametrize("bad", [{"kind": "delete"}, {"token": "short"}, {"token": ""}])
def test_tampered_sharing_forms_are_form_errors(client, db, family, bad) -> None:
    _, _, link = family
    form = {"token": "t" * 32, "kind": "lock", **bad}
    response = client.post(f"/records/{link.id}/sharing", data=form)
    assert response.status_code in (200, 302)
    assert requests_in(db) == []


def test_someone_elses_record_is_not_found(client, make, family) -> None:
    stranger = make.user()
    theirs = make.link(stranger, make.patient())
    assert client.get(f"/records/{theirs.id}/sharing").status_code == 404
    assert (
        client.post(
            f"/records/{theirs.id}/sharing", data={"token": "t" * 32, "kind": "lock"}
        ).status_code
        == 404
    )


NOW = datetime(2026, 12, 2, 6, 30, tzinfo=UTC)  # still December 1 in California


def test_approving_a_lock_locks_the_record_with_the_days_date_in_one_transaction(
    client, db, make, family
) -> None:
    _, child, link = family
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    client.post(f"/records/{link.id}/sharing", data={"token": token_of(page), "kind": "lock"})
    (request,) = requests_in(db)
    agent = make.user(role=Role.AGENT)
    take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
    take_action(db, request, RequestAction.APPROVE, actor=agent, now=NOW)
    db.rollback()  # nothing committed: neither the approval nor the lock stays
    db.expire_all()
    assert db.get(Patient, child.id).shared is True

    take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
    take_action(db, request, RequestAction.APPROVE, actor=agent, now=NOW)
    db.commit()
    db.expire_all()
    patient = db.get(Patient, child.id)
    assert (patient.shared, patient.sharing_effective_on) == (False, date(2026, 12, 1))
    assert request.status is RequestStatus.APPROVED
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    assert "Locked since December 1, 2026" in page and "Ask to unlock this record" in page


def test_approving_an_unlock_shares_the_record_again(db, make) -> None:
    from portal.requests.models import Request

    parent = make.user()
    child = make.patient(shared=False, sharing_effective_on=date(2021, 5, 5))
    request = Request(kind=RequestKind.UNLOCK, requester=parent, patient_id=child.id)
    db.add(request)
    db.commit()
    agent = make.user(role=Role.AGENT)
    take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
    take_action(db, request, RequestAction.APPROVE, actor=agent, now=NOW)
    db.commit()
    db.expire_all()
    patient = db.get(Patient, child.id)
    assert (patient.shared, patient.sharing_effective_on) == (True, local_day(NOW))
