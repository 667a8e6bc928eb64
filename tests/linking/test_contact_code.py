"""Automatic match and one-time code: no oracle, only the contact on file, codes that end."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from portal.linking.attempts import Client
from portal.linking.contact_codes import MatchDetails, check_contact_code, start_contact_match
from portal.linking.models import (
    AttemptOutcome,
    LinkAttempt,
    LinkChallenge,
    LinkMethod,
    PatientLink,
    Relationship,
)
from portal.linking.rules import hash_otp
from portal.mail.models import Channel
from portal.orm import utcnow
from tests.conftest import SECRET
from tests.linking.conftest import code_in, outbox, without_csrf

BORN = date(2019, 3, 14)


def _child(make, **kw):
    kw.setdefault("first_name", "José")
    kw.setdefault("last_name", "García-López")
    kw.setdefault("birth_date", BORN)
    kw.setdefault("phone", "(559) 555-0123")
    kw.setdefault("email", "ana.garcia@example.org")
    return make.patient(**kw)


def _form(**kw):
    data = {
        "relationship": "parent",
        "first_name": "jose",
        "last_name": "GARCIA LOPEZ",
        "birth_date": BORN.isoformat(),
        "contact": "ana.garcia@example.org",
    }
    data.update(kw)
    return data


def _links(db, user):
    db.expire_all()
    return list(db.scalars(sa.select(PatientLink).where(PatientLink.user_id == user.id)))


def test_a_match_and_a_non_match_get_the_same_answer(client, make, login, db) -> None:
    _child(make)
    login(client, make.user())
    matched = client.post("/records/add/match", data=_form())
    matched_page = client.get("/records/add/code")
    wrong = f"{(int(code_in(outbox(db)[0])) + 1) % 1_000_000:06d}"
    matched_try = client.post("/records/add/code", data={"code": wrong})
    missed = client.post("/records/add/match", data=_form(first_name="Josefina"))
    missed_page = client.get("/records/add/code")
    missed_try = client.post("/records/add/code", data={"code": wrong})

    assert matched.status_code == missed.status_code == 302
    assert matched.headers["Location"] == missed.headers["Location"] == "/records/add/code"
    assert matched.data == missed.data
    assert matched_page.status_code == missed_page.status_code == 200
    assert without_csrf(matched_page.data) == without_csrf(missed_page.data)
    assert b"If the details match a record, we have sent a code" in matched_page.data
    # A wrong code reads the same whether or not there was anything to match.
    assert matched_try.status_code == missed_try.status_code == 200
    assert without_csrf(matched_try.data) == without_csrf(missed_try.data)
    assert b"Tries left: 4." in missed_try.data
    assert len(outbox(db)) == 1  # only the match sent anything


def test_both_paths_do_the_same_writes(client, make, login, db) -> None:
    _child(make)
    parent = make.user()
    login(client, parent)
    client.post("/records/add/match", data=_form())
    client.post("/records/add/match", data=_form(birth_date="2019-03-15"))
    challenges = db.scalars(sa.select(LinkChallenge).order_by(LinkChallenge.id)).all()
    attempts = db.scalars(sa.select(LinkAttempt).order_by(LinkAttempt.id)).all()
    assert [c.patient_id is not None for c in challenges] == [True, False]
    assert all(c.user_id == parent.id and len(c.code_hash) == 64 for c in challenges)
    assert [a.outcome for a in attempts] == [AttemptOutcome.CODE_SENT, AttemptOutcome.NO_MATCH]


def test_attempts_keep_no_typed_details(client, make, login, db) -> None:
    _child(make)
    login(client, make.user())
    client.post("/records/add/match", data=_form(), environ_base={"REMOTE_ADDR": "203.0.113.9"})
    attempt = db.scalars(sa.select(LinkAttempt)).one()
    stored = " ".join(str(getattr(attempt, c.key)) for c in LinkAttempt.__table__.columns)
    for typed in ("jose", "GARCIA", "2019-03-14", "ana.garcia", "203.0.113.9"):
        assert typed.lower() not in stored.lower()
    assert len(attempt.details_hmac) == 64 and len(attempt.address_hash) == 64
    assert attempt.method == LinkMethod.CONTACT_CODE


def test_the_code_goes_to_the_email_on_file_and_links_the_record(client, make, login, db) -> None:
    child = _child(make)
    parent = make.user()
    login(client, parent)
    client.post("/records/add/match", data=_form(contact="  Ana.Garcia@EXAMPLE.org "))
    [message] = outbox(db)
    assert message.channel == Channel.EMAIL
    assert message.recipient == "ana.garcia@example.org"

    response = client.post("/records/add/code", data={"code": code_in(message)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/records"
    [link] = _links(db, parent)
    assert link.patient_id == child.id
    assert link.relationship_ == Relationship.PARENT
    assert link.method == LinkMethod.CONTACT_CODE
    assert link.ends_on == date(2037, 3, 14)
    assert "José" in client.get("/records").get_data(as_text=True)


def test_the_code_goes_by_text_to_the_phone_on_file(client, make, login, db) -> None:
    _child(make)
    parent = make.user()
    login(client, parent)
    client.post("/records/add/match", data=_form(contact="559.555.0123"))
    [message] = outbox(db)
    assert message.channel == Channel.SMS
    assert message.recipient == "+15595550123"
    client.post("/records/add/code", data={"code": code_in(message)})
    assert len(_links(db, parent)) == 1


def test_no_code_goes_to_a_contact_that_is_not_on_the_record(client, make, login, db) -> None:
    _child(make)
    parent = make.user()
    login(client, parent)
    client.post("/records/add/match", data=_form(contact="stranger@example.net"))
    client.post("/records/add/match", data=_form(contact="(415) 555-0100"))
    assert outbox(db) == []
    # Whatever is typed next, nothing links.
    client.post("/records/add/code", data={"code": "000000"})
    assert _links(db, parent) == []


def test_a_record_without_contact_details_sends_nothing(client, make, login, db) -> None:
    _child(make, phone=None, email=None)
    login(client, make.user())
    response = client.post("/records/add/match", data=_form())
    assert response.status_code == 302
    assert outbox(db) == []


def test_a_code_ends_after_ten_minutes(client, make, login, db) -> None:
    _child(make)
    parent = make.user()
    login(client, parent)
    client.post("/records/add/match", data=_form())
    code = code_in(outbox(db)[0])
    challenge = db.scalars(sa.select(LinkChallenge)).one()
    challenge.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    response = client.post("/records/add/code", data={"code": code})
    assert b"This code no longer works" in response.data
    assert _links(db, parent) == []


def test_a_code_works_once(app, make, db) -> None:
    child = _child(make)
    parent, other = make.user(), make.user()
    now = utcnow()
    sent: list[str] = []
    details = MatchDetails("José", "García-López", BORN, "5595550123", Relationship.PARENT)
    with app.test_request_context():
        challenge = start_contact_match(
            db, Client(parent, SECRET.encode()), details,
            send_code=lambda _db, _ch, _to, code: sent.append(code) if _to else None, now=now,
        )  # fmt: skip
        first = check_contact_code(
            db, Client(parent, SECRET.encode()), challenge.token, sent[0],
            now=now, today=date(2026, 1, 1), guardian_age=18,
        )  # fmt: skip
        again = check_contact_code(
            db, Client(parent, SECRET.encode()), challenge.token, sent[0],
            now=now, today=date(2026, 1, 1), guardian_age=18,
        )  # fmt: skip
    assert first.outcome == AttemptOutcome.LINKED and first.link.patient_id == child.id
    assert again.outcome == AttemptOutcome.CODE_ENDED
    assert other.id != parent.id


def test_five_wrong_tries_end_the_code(client, make, login, db) -> None:
    _child(make)
    parent = make.user()
    login(client, parent)
    client.post("/records/add/match", data=_form())
    code = code_in(outbox(db)[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    pages = [client.post("/records/add/code", data={"code": wrong}) for _ in range(5)]
    assert b"Tries left: 4." in pages[0].data
    assert b"Tries left: 1." in pages[3].data
    assert b"This code no longer works" in pages[4].data
    # The right code after that does nothing: the challenge has ended.
    with client.session_transaction() as sess:
        sess["linking_challenge"] = db.scalars(sa.select(LinkChallenge)).one().token
    response = client.post("/records/add/code", data={"code": code})
    assert b"This code no longer works" in response.data
    assert _links(db, parent) == []


def test_a_challenge_of_another_account_is_useless(app, make, login, db) -> None:
    _child(make)
    owner, thief = make.user(), make.user()
    owner_client, thief_client = app.test_client(), app.test_client()
    login(owner_client, owner)
    login(thief_client, thief)
    owner_client.post("/records/add/match", data=_form())
    code = code_in(outbox(db)[0])
    with owner_client.session_transaction() as sess:
        token = sess["linking_challenge"]
    with thief_client.session_transaction() as sess:
        sess["linking_challenge"] = token
    response = thief_client.post("/records/add/code", data={"code": code})
    assert b"This code no longer works" in response.data
    assert _links(db, thief) == []
    # The owner can still use it: the thief's try did not touch it.
    owner_client.post("/records/add/code", data={"code": code})
    assert len(_links(db, owner)) == 1


def test_the_code_hash_is_keyed_with_the_app_secret(client, make, login, db) -> None:
    _child(make)
    login(client, make.user())
    client.post("/records/add/match", data=_form())
    code = code_in(outbox(db)[0])
    challenge = db.scalars(sa.select(LinkChallenge)).one()
    assert code not in challenge.code_hash
    assert challenge.code_hash == hash_otp(SECRET.encode(), challenge.token, code)


def test_an_adult_links_their_own_record(client, make, login, db) -> None:
    adult = make.patient(first_name="Ana", last_name="Ruiz", birth_date=date(1990, 5, 2),
                         email="ana.ruiz@example.org")  # fmt: skip
    user = make.user()
    login(client, user)
    client.post(
        "/records/add/match",
        data=_form(relationship="self", first_name="Ana", last_name="Ruiz",
                   birth_date="1990-05-02", contact="ana.ruiz@example.org"),
    )  # fmt: skip
    client.post("/records/add/code", data={"code": code_in(outbox(db)[0])})
    [link] = _links(db, user)
    assert link.patient_id == adult.id
    assert link.relationship_ == Relationship.SELF and link.ends_on is None


def test_a_child_cannot_be_linked_as_ones_own_record(client, make, login, db) -> None:
    _child(make)
    login(client, make.user())
    response = client.post("/records/add/match", data=_form(relationship="self"))
    assert response.status_code == 200
    assert b"You can link your own record once you are 18" in response.data
    assert db.scalars(sa.select(LinkChallenge)).all() == []


def test_a_parent_cannot_link_an_adult(client, make, login, db) -> None:
    make.patient(first_name="Ana", last_name="Ruiz", birth_date=date(1990, 5, 2))
    login(client, make.user())
    response = client.post(
        "/records/add/match",
        data=_form(first_name="Ana", last_name="Ruiz", birth_date="1990-05-02"),
    )
    assert b"This person is an adult now" in response.data
    assert db.scalars(sa.select(LinkChallenge)).all() == []


def test_the_code_page_without_a_pending_match_goes_back_to_the_form(client, make, login):
    login(client, make.user())
    response = client.get("/records/add/code")
    assert response.status_code == 302
    assert response.headers["Location"] == "/records/add/match"


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/records/add/match")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_sender_is_called_on_both_paths_but_only_given_the_contact_on_file(app, make, db):
    _child(make)
    parent = make.user()
    calls: list[tuple[str, str | None]] = []

    def sender(_db, channel, recipient, _code):
        calls.append((channel, recipient))

    with app.test_request_context():
        for contact, first in [
            ("559 555 0123", "José"),  # match, by text
            ("ANA.GARCIA@example.org", "Jose"),  # match, by email
            ("other@example.org", "José"),  # contact not on the record
            ("559 555 0123", "Pepe"),  # name does not match
        ]:
            details = MatchDetails(first, "Garcia Lopez", BORN, contact, Relationship.PARENT)
            start_contact_match(
                db, Client(parent, SECRET.encode()), details, send_code=sender, now=utcnow()
            )
    assert calls == [
        ("sms", "+15595550123"),
        ("email", "ana.garcia@example.org"),
        ("email", None),
        ("sms", None),
    ]


def test_a_pending_code_of_the_last_account_on_this_browser_is_not_the_next_ones(
    client, make, login, db
) -> None:
    """The session outlives a sign-out; the next account must not inherit the pending code."""
    _child(make)
    first, second = make.user(), make.user()
    login(client, first)
    client.post("/records/add/match", data=_form())
    login(client, second)  # the other parent signs in on the same browser
    page = client.get("/records/add/code")
    assert b"This code no longer works" in page.data
    assert b"we have sent a code" not in page.data
    with client.session_transaction() as sess:
        assert "linking_challenge" not in sess
    response = client.post("/records/add/code", data={"code": code_in(outbox(db)[0])})
    assert response.status_code == 302
    assert response.headers["Location"] == "/records/add/match"
    db.expire_all()
    tries = db.scalars(sa.select(LinkAttempt).where(LinkAttempt.user_id == second.id)).all()
    assert tries == []  # nothing counts against the second account
    assert _links(db, second) == []
