"""Status emails: one at filing and at each public change of status, in the account's
language, with a link to sign in and no health details."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.accounts.models import Role
from portal.requests.rules import RequestAction
from portal.requests.services import take_action

from .family_helpers import mail_to, requests_in, token_of

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
HEALTH_WORDS = ("Maya", "Reyes", "MMR", "DTaP", "vaccin", "dose", "2019", "March 2", "yellow")


@pytest.fixture
def family(make, login, client):  # type: ignore[no-untyped-def]
    def build(locale: str | None):  # type: ignore[no-untyped-def]
        parent = make.user(locale=locale)
        child = make.patient(first_name="Maya", last_name="Reyes", birth_date=date(2019, 3, 14))
        dose = make.dose(child, cvx_code="03")
        link = make.link(parent, child)
        login(client, parent)
        return parent, link, dose

    return build


def _report(client, link, dose) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/records/{link.id}/report").get_data(as_text=True)
    data = {"token": token_of(page), "about": "dose", "dose": str(dose.id),
            "problem": "wrong_date", "wrong": "March 20",
            "right": "March 2, yellow card"}  # fmt: skip
    assert client.post(f"/records/{link.id}/report", data=data).status_code == 302


def _work(app, db, make, needs_info=True) -> None:  # type: ignore[no-untyped-def]
    (request,) = requests_in(db)
    agent = make.user(role=Role.AGENT)
    with app.app_context():
        take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
        take_action(db, request, RequestAction.NOTE, actor=agent, note="MMR lot?", now=NOW)
        take_action(db, request, RequestAction.RELEASE, actor=agent, now=NOW)
        take_action(db, request, RequestAction.CLAIM, actor=agent, now=NOW)
        take_action(db, request, RequestAction.REJECT, actor=agent, note="MMR dose ok", now=NOW)
    db.commit()


def test_an_email_at_filing_and_at_each_public_change_in_english(
    app, client, db, make, family
) -> None:
    parent, link, dose = family(None)
    _report(client, link, dose)
    _work(app, db, make)
    mails = mail_to(db, parent.email)
    # filed, claimed, (the note and the release are not news), claimed again, rejected
    assert [m.subject for m in mails] == [
        "We received your request",
        "An update on your request",
        "An update on your request",
        "An update on your request",
    ]
    assert "The help desk is checking it" in mails[1].body
    assert "Not approved" in mails[3].body and "finished" in mails[3].body
    for mail in mails:
        assert "http://localhost/requests" in mail.body
        assert "Report a mistake" in mail.body
        for word in HEALTH_WORDS:
            assert word not in mail.body, (word, mail.body)


def test_the_emails_are_in_the_accounts_language(app, client, db, make, family) -> None:
    parent, link, dose = family("es")
    _report(client, link, dose)
    _work(app, db, make)
    mails = mail_to(db, parent.email)
    assert mails[0].subject == "Recibimos su solicitud"
    assert all("solicitud" in m.body for m in mails)
    assert "We received" not in mails[0].body and "news about" not in mails[-1].body
    for mail in mails:
        for word in HEALTH_WORDS:
            assert word not in mail.body, (word, mail.body)


def test_a_resent_form_sends_no_second_email(client, db, family) -> None:
    parent, link, _ = family(None)
    page = client.get(f"/records/{link.id}/sharing").get_data(as_text=True)
    for _ in range(2):
        client.post(f"/records/{link.id}/sharing", data={"token": token_of(page), "kind": "lock"})
    assert len(mail_to(db, parent.email)) == 1


def test_a_verification_request_gets_its_received_email_too(client, db, make, login) -> None:
    import io

    from tests.linking import pdfs

    parent = make.user(locale="es")
    login(client, parent)
    data = {"first_name": "Lucía", "middle_name": "", "last_name": "Fernández",
            "birth_date": "2020-07-01", "relationship": "guardian", "note": "",
            "document": (io.BytesIO(pdfs.plain()), "order.pdf", "application/pdf")}  # fmt: skip
    response = client.post(
        "/records/add/verification", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    (mail,) = mail_to(db, parent.email)
    assert mail.subject == "Recibimos su solicitud"
    assert "Agregar un registro a su lista" in mail.body
    assert "Lucía" not in mail.body and "2020" not in mail.body
