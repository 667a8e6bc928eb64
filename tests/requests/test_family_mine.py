"""My requests: the account's own requests with their public timeline; answer; withdraw."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.requests.models import Request, RequestDocument, RequestKind, RequestStatus
from portal.requests.rules import RequestAction
from portal.requests.services import take_action
from tests.linking import pdfs

from .family_helpers import requests_in, version_of

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def parent(make, login, client):  # type: ignore[no-untyped-def]
    user = make.user()
    login(client, user)
    return user


@pytest.fixture
def agent(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.AGENT)


def filed(db, make, user, kind=RequestKind.CORRECTION) -> Request:  # type: ignore[no-untyped-def]
    patient = make.patient(first_name="Maya", last_name="Reyes")
    request = Request(kind=kind, requester=user, patient_id=patient.id, details={})
    db.add(request)
    db.commit()
    return request


def asked(app, db, request, agent, question="Please send a photo of the yellow card."):  # type: ignore[no-untyped-def]
    with app.app_context():
        take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
        take_action(db, request, RequestAction.NOTE, actor=agent, note="staff only remark", now=NOW)
        take_action(db, request, RequestAction.ASK_INFO, actor=agent, note=question, now=NOW)
    db.commit()


def test_the_list_shows_own_requests_with_public_entries_only(
    app, client, db, make, parent, agent
) -> None:
    mine = filed(db, make, parent)
    asked(app, db, mine, agent)
    filed(db, make, make.user())  # someone else's
    page = client.get("/requests").get_data(as_text=True)
    assert page.count('class="card"') == 1
    assert "Report a mistake: Maya Reyes" in page
    assert "The help desk needs more information" in page
    assert "Please send a photo of the yellow card." in page
    assert "staff only remark" not in page
    assert f'href="/requests/{mine.id}/answer"' in page
    assert f'href="/requests/{mine.id}/withdraw"' in page


def test_the_nav_offers_my_requests_to_families(client, parent) -> None:
    assert 'href="/requests"' in client.get("/records").get_data(as_text=True)


def test_answering_moves_the_request_back_to_review_with_a_file(
    app, client, db, make, parent, agent
) -> None:
    request = filed(db, make, parent)
    asked(app, db, request, agent)
    page = client.get(f"/requests/{request.id}/answer").get_data(as_text=True)
    assert "Please send a photo of the yellow card." in page
    data = {
        "version": version_of(page),
        "answer": "Here it is.",
        "document": (io.BytesIO(pdfs.plain()), "card.pdf", "application/pdf"),
    }
    response = client.post(
        f"/requests/{request.id}/answer", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    (request,) = requests_in(db)
    assert request.status is RequestStatus.IN_REVIEW
    assert request.events[-1].action == "answer" and request.events[-1].note == "Here it is."
    assert db.scalar(sa.select(sa.func.count()).select_from(RequestDocument)) == 1

    again = client.post(
        f"/requests/{request.id}/answer", data={"version": version_of(page), "answer": "again"}
    )
    assert again.status_code == 302
    assert [e.action for e in requests_in(db)[0].events].count("answer") == 1


def test_a_request_that_asks_nothing_cannot_be_answered(client, db, make, parent) -> None:
    request = filed(db, make, parent)
    response = client.post(f"/requests/{request.id}/answer", data={"version": "1", "answer": "hi"})
    assert response.status_code == 302
    assert "nothing to do on this request now" in client.get("/requests").get_data(as_text=True)
    assert requests_in(db)[0].status is RequestStatus.SUBMITTED
    assert [e.action for e in requests_in(db)[0].events] == []


def test_withdrawing_asks_first_then_closes(client, db, make, parent) -> None:
    request = filed(db, make, parent)
    page = client.get(f"/requests/{request.id}/withdraw").get_data(as_text=True)
    assert "Withdraw this request?" in page
    assert requests_in(db)[0].status is RequestStatus.SUBMITTED
    response = client.post(f"/requests/{request.id}/withdraw", data={"version": version_of(page)})
    assert response.status_code == 302
    (request,) = requests_in(db)
    assert request.status is RequestStatus.WITHDRAWN and request.closed_at is not None
    page = client.get("/requests").get_data(as_text=True)
    assert "You withdrew the request" in page
    assert f'/requests/{request.id}/withdraw"' not in page


def test_a_stale_withdraw_changes_nothing(app, client, db, make, parent, agent) -> None:
    request = filed(db, make, parent)
    page = client.get(f"/requests/{request.id}/withdraw").get_data(as_text=True)
    with app.app_context():
        take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
    db.commit()
    response = client.post(f"/requests/{request.id}/withdraw", data={"version": version_of(page)})
    assert response.status_code == 302
    assert requests_in(db)[0].status is RequestStatus.IN_REVIEW


@pytest.mark.parametrize("version", ["", "abc", "9" * 30])
def test_a_tampered_version_is_a_form_error(client, db, make, parent, version) -> None:
    request = filed(db, make, parent)
    response = client.post(f"/requests/{request.id}/withdraw", data={"version": version})
    assert response.status_code == 200
    assert requests_in(db)[0].status is RequestStatus.SUBMITTED


@pytest.mark.parametrize("path", ["answer", "withdraw"])
def test_another_familys_request_is_not_found(client, db, make, parent, path) -> None:
    theirs = filed(db, make, make.user())
    assert client.get(f"/requests/{theirs.id}/{path}").status_code == 404
    assert client.post(f"/requests/{theirs.id}/{path}", data={"version": "1"}).status_code == 404
    assert client.get("/requests/999999/answer").status_code == 404
    assert requests_in(db)[0].status is RequestStatus.SUBMITTED


@pytest.mark.parametrize("path", ["/requests", "/requests/1/answer", "/requests/1/withdraw"])
def test_staff_and_signed_out_visitors_do_not_use_the_family_pages(app, make, login, path) -> None:
    assert app.test_client().get(path).status_code == 302  # to the sign-in page
    staff = app.test_client()
    login(staff, make.user(role=Role.AGENT))
    assert staff.get(path).status_code == 403
