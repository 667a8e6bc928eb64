"""A parent invites a teen nearing 18 to take over the record; the teen confirms the birth date."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from portal.linking.models import LinkMethod, PatientLink, Relationship, TeenInvitation
from portal.linking.rules import hash_token
from portal.mail.models import Channel
from portal.orm import utcnow
from tests.linking.conftest import outbox, years_ago


def _invite(client, make, login, db, today, *, days_to_18=30):
    parent = make.user()
    teen_record = make.patient(first_name="Sam", birth_date=years_ago(today, 18, days=days_to_18))
    link = make.link(parent, teen_record)
    login(client, parent)
    response = client.post(f"/records/{link.id}/invite", data={"email": "Sam.Teen@Example.org"})
    assert response.status_code == 302
    [message] = [m for m in outbox(db) if m.recipient == "sam.teen@example.org"]
    url = re.search(r"http://\S+/records/invitation/(\S+)", message.body)
    assert url, message.body
    return parent, teen_record, link, message, url.group(1)


def _teen_client(app, make, login):
    teen = make.user(email="sam.own@example.org")
    client = app.test_client()
    login(client, teen)
    return teen, client


def test_the_invitation_is_emailed_with_a_single_use_link(app, client, make, login, db, today):
    _, _, link, message, token = _invite(client, make, login, db, today)
    assert message.channel == Channel.EMAIL
    row = db.scalars(sa.select(TeenInvitation)).one()
    assert row.link_id == link.id and row.token_hash == hash_token(token)
    assert token not in row.token_hash
    assert timedelta(days=29, hours=23) < row.expires_at - utcnow() <= timedelta(days=30)


def test_the_teen_takes_over_with_their_own_account(app, client, make, login, db, today):
    _, record, _, _, token = _invite(client, make, login, db, today)
    teen, teen_client = _teen_client(app, make, login)
    path = f"/records/invitation/{token}"
    assert teen_client.get(path).status_code == 200

    wrong = teen_client.post(
        path, data={"birth_date": (record.birth_date + timedelta(1)).isoformat()}
    )
    assert b"That birth date does not match the record." in wrong.data
    response = teen_client.post(path, data={"birth_date": record.birth_date.isoformat()})
    assert response.status_code == 302 and response.headers["Location"] == "/records"
    db.expire_all()
    [own] = db.scalars(sa.select(PatientLink).where(PatientLink.user_id == teen.id)).all()
    assert own.patient_id == record.id
    assert own.relationship_ == Relationship.SELF and own.ends_on is None
    assert own.method == LinkMethod.INVITATION
    assert "Sam" in teen_client.get("/records").get_data(as_text=True)
    # Single use.
    assert teen_client.get(path).status_code == 404
    assert (
        teen_client.post(path, data={"birth_date": record.birth_date.isoformat()}).status_code
        == 404
    )


def test_five_wrong_birth_dates_end_the_invitation(app, client, make, login, db, today):
    _, record, _, _, token = _invite(client, make, login, db, today)
    teen, teen_client = _teen_client(app, make, login)
    path = f"/records/invitation/{token}"
    wrong = {"birth_date": (record.birth_date - timedelta(days=3)).isoformat()}
    answers = [teen_client.post(path, data=dict(wrong)).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 404]
    right = teen_client.post(path, data={"birth_date": record.birth_date.isoformat()})
    assert right.status_code == 404
    db.expire_all()
    assert db.scalars(sa.select(PatientLink).where(PatientLink.user_id == teen.id)).all() == []


def test_the_parent_cannot_accept_their_own_invitation(client, make, login, db, today):
    parent, record, _, _, token = _invite(client, make, login, db, today)
    page = client.get(f"/records/invitation/{token}")
    assert page.status_code == 403 and b"their own account" in page.data
    response = client.post(
        f"/records/invitation/{token}", data={"birth_date": record.birth_date.isoformat()}
    )
    assert response.status_code == 403
    db.expire_all()
    links = db.scalars(sa.select(PatientLink).where(PatientLink.user_id == parent.id)).all()
    assert [link.relationship_ for link in links] == [Relationship.PARENT]


def test_an_expired_invitation_does_not_work(app, client, make, login, db, today):
    _, record, _, _, token = _invite(client, make, login, db, today)
    row = db.scalars(sa.select(TeenInvitation)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    _, teen_client = _teen_client(app, make, login)
    response = teen_client.post(
        f"/records/invitation/{token}", data={"birth_date": record.birth_date.isoformat()}
    )
    assert response.status_code == 404
    assert b"This invitation no longer works" in response.data


def test_a_new_invitation_replaces_the_old(app, client, make, login, db, today):
    _, record, link, _, old_token = _invite(client, make, login, db, today)
    client.post(f"/records/{link.id}/invite", data={"email": "sam.new@example.org"})
    _, teen_client = _teen_client(app, make, login)
    assert teen_client.get(f"/records/invitation/{old_token}").status_code == 404


def test_invitations_are_offered_only_near_the_end(client, make, login, db, today):
    parent = make.user()
    young = make.link(parent, make.patient(birth_date=years_ago(today, 10)))
    own = make.link(
        parent, make.patient(birth_date=years_ago(today, 40)), relationship_=Relationship.SELF
    )
    login(client, parent)
    assert client.get(f"/records/{young.id}/invite").status_code == 404
    assert client.get(f"/records/{own.id}/invite").status_code == 404
    assert (
        client.post(f"/records/{young.id}/invite", data={"email": "a@example.org"}).status_code
        == 404
    )
    assert db.scalars(sa.select(TeenInvitation)).all() == []


def test_an_unknown_token_is_not_found(client, make, login):
    login(client, make.user())
    assert client.get("/records/invitation/not-a-real-token").status_code == 404


def test_the_invitation_link_uses_the_portals_address_not_the_requests_host(
    app, client, make, login, db, today
):
    """A forged Host header (or a proxy that rewrites it) must not end up in the teen's email."""
    parent = make.user()
    link = make.link(parent, make.patient(birth_date=years_ago(today, 18, days=30)))
    login(client, parent)
    token = client.csrf_token()
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    response = client.post(
        f"/records/{link.id}/invite",
        data={"email": "teen@example.org", "csrf_token": token},
        base_url="http://evil.example",
    )
    assert response.status_code == 302
    [message] = outbox(db)
    assert "evil.example" not in message.body
    assert f"{app.config['ISSUER_URL']}/records/invitation/" in message.body
