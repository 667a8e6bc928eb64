"""Rate limits per account and per address, and the lock-out after repeated failures."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.extensions import limiter
from portal.linking.attempts import lockout_ends
from portal.linking.models import AttemptOutcome, LinkAttempt
from portal.orm import utcnow

MATCH = {
    "relationship": "parent",
    "first_name": "Nobody",
    "last_name": "Here",
    "birth_date": "2019-03-14",
    "contact": "5595550123",
}
WRONG_ACCESS_CODE = {
    "code": "ABCD-EFGH-JKMN-PQRS",
    "birth_date": "2019-03-14",
    "relationship": "parent",
}


def test_match_requests_are_limited_per_account(client, make, login, app, db) -> None:
    login(client, make.user())
    answers = [client.post("/records/add/match", data=dict(MATCH)).status_code for _ in range(6)]
    assert answers == [302] * 5 + [429]
    # A new address does not help: the limit follows the account.
    response = client.post(
        "/records/add/match", data=dict(MATCH), environ_base={"REMOTE_ADDR": "198.51.100.7"}
    )
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert app.config["HELPDESK_PHONE"] in page and app.config["HELPDESK_EMAIL"] in page
    assert "/records/add/verification" in page
    outcomes = db.scalars(sa.select(LinkAttempt.outcome).order_by(LinkAttempt.id)).all()
    assert outcomes == [AttemptOutcome.NO_MATCH] * 5 + [AttemptOutcome.LOCKED_OUT] * 2


def test_match_requests_are_limited_per_address(app, make, login) -> None:
    answers = []
    for _ in range(7):
        client = app.test_client()
        login(client, make.user())
        for _ in range(5):
            answers.append(client.post("/records/add/match", data=dict(MATCH)).status_code)
    assert answers[:30] == [302] * 30
    assert answers[30] == 429


def test_ten_failures_lock_the_account_out_of_linking(client, make, login, db, app) -> None:
    user = make.user()
    login(client, user)
    answers = [
        client.post("/records/add/access-code", data=dict(WRONG_ACCESS_CODE)) for _ in range(10)
    ]
    assert [a.status_code for a in answers] == [200] * 9 + [429]
    locked_page = answers[-1].get_data(as_text=True)
    assert "Too many tries" in locked_page
    assert "paused for your account until" in locked_page
    assert app.config["HELPDESK_PHONE"] in locked_page
    assert "/records/add/verification" in locked_page

    # The lock-out is the account's own, counted in the attempts table, not the rate limiter's.
    limiter.reset()
    assert client.get("/records/add/access-code").status_code == 429
    assert client.get("/records/add/match").status_code == 429
    assert client.post("/records/add/match", data=dict(MATCH)).status_code == 429
    db.expire_all()
    last = db.scalars(sa.select(LinkAttempt).order_by(LinkAttempt.id.desc())).first()
    assert last.outcome == AttemptOutcome.LOCKED_OUT  # refused tries are logged too
    assert "paused" in client.get("/records/add").get_data(as_text=True)
    # Manual verification stays open.
    assert client.get("/records/add/verification").status_code == 200
    db.expire_all()
    outcomes = db.scalars(sa.select(LinkAttempt.outcome)).all()
    assert outcomes.count(AttemptOutcome.CODE_ENDED) == 10


def test_the_lock_out_ends_after_a_day(make, db) -> None:
    from portal.linking.attempts import Client, record_attempt
    from portal.linking.models import LinkMethod

    user = make.user()
    start = utcnow() - timedelta(hours=30)
    for i in range(10):
        record_attempt(
            db,
            Client(user, b"k"),
            method=LinkMethod.ACCESS_CODE,
            outcome=AttemptOutcome.WRONG_BIRTH_DATE,
            now=start + timedelta(minutes=i),
        )
    db.commit()
    ends = start + timedelta(minutes=9, hours=24)
    assert lockout_ends(db, user, ends - timedelta(minutes=1)) == ends
    assert lockout_ends(db, user, ends) is None
    other = make.user()
    assert lockout_ends(db, other, ends - timedelta(minutes=1)) is None


def test_non_matches_alone_do_not_lock_out(client, make, login, db) -> None:
    """Counting them would let the lock-out tell a stranger which details matched."""
    user = make.user()
    login(client, user)
    for _ in range(5):
        client.post("/records/add/match", data=dict(MATCH))
    assert lockout_ends(db, user, utcnow()) is None
    limiter.reset()
    assert client.get("/records/add/match").status_code == 200


def test_many_failures_from_one_address_lock_every_account_there(make, db) -> None:
    from portal.linking.attempts import Client, record_attempt
    from portal.linking.models import LinkMethod

    now = utcnow()
    for i in range(30):
        record_attempt(
            db,
            Client(make.user(), b"k", address="192.0.2.44"),
            method=LinkMethod.ACCESS_CODE,
            outcome=AttemptOutcome.CODE_ENDED,
            now=now - timedelta(minutes=30 - i),
        )
    db.commit()
    newcomer = make.user()
    here = Client(newcomer, b"k", address="192.0.2.44").address_hash
    elsewhere = Client(newcomer, b"k", address="192.0.2.45").address_hash
    assert lockout_ends(db, newcomer, now, here) is not None
    assert lockout_ends(db, newcomer, now, elsewhere) is None
