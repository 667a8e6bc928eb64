"""Forgotten password: the same answer for every address, a link that works once, for an hour."""

from __future__ import annotations

from datetime import timedelta

from portal.accounts.models import User, UserSession
from portal.orm import utcnow
from tests.factories import PASSWORD

from .conftest import link_in, reread

NEW = "blue kitchen river song"


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, make, outbox) -> None:
    make.user(email="ana@example.org")
    known = client.post("/reset", data={"email": "Ana@Example.org"})
    unknown = client.post("/reset", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/reset/sent"
    assert "If an account uses that address" in client.get("/reset/sent").get_data(as_text=True)
    [message] = outbox()
    assert message.recipient == "ana@example.org"
    assert link_in(message, "/reset/")


def test_a_reset_sets_the_password_ends_every_session_and_dies(
    app, client, make, db, login, outbox
) -> None:
    user = make.user(email="ana@example.org", email_confirmed_at=None)
    elsewhere = app.test_client()
    login(elsewhere, user)
    before = user.password_changed_at
    client.post("/reset", data={"email": "ana@example.org"})
    link = link_in(outbox()[0], "/reset/")

    assert "Set a new password" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/login"

    reread(db)
    user = db.get(User, user.id)
    assert user.password_changed_at > before
    assert user.email_confirmed_at is not None  # the link proved the inbox
    assert all(s.ended_at is not None for s in db.query(UserSession).filter_by(user_id=user.id))
    assert elsewhere.get("/account").status_code == 302
    assert outbox()[-1].subject == "Your password was changed"

    used = client.post(
        link, data={"password": "another fine passphrase", "confirm": "another fine passphrase"}
    )
    assert used.status_code == 400
    assert "too old or was already used" in used.get_data(as_text=True)

    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    )
    assert client.post("/login", data={"email": user.email, "password": NEW}).status_code == 302


def test_a_reset_signs_out_the_browser_that_used_it(client, make, login, outbox) -> None:
    user = make.user(email="ana@example.org")
    login(client, user)
    client.post("/reset", data={"email": "ana@example.org"})
    client.post(link_in(outbox()[0], "/reset/"), data={"password": NEW, "confirm": NEW})
    assert client.get("/account").status_code == 302


def test_a_reset_link_expires_after_an_hour(client, make, outbox, monkeypatch) -> None:
    make.user(email="ana@example.org")
    client.post("/reset", data={"email": "ana@example.org"})
    link = link_in(outbox()[0], "/reset/")
    later = utcnow() + timedelta(minutes=61)
    monkeypatch.setattr("portal.accounts.reset_views.utcnow", lambda: later)
    response = client.get(link)
    assert response.status_code == 400
    assert "too old" in response.get_data(as_text=True)


def test_the_new_password_follows_the_rules(client, make, outbox) -> None:
    make.user(email="ana@example.org")
    client.post("/reset", data={"email": "ana@example.org"})
    link = link_in(outbox()[0], "/reset/")
    page = client.post(link, data={"password": "ana", "confirm": "ana"}).get_data(as_text=True)
    assert "Use at least 8 characters." in page
    page = client.post(link, data={"password": "ana@example.org", "confirm": "ana@example.org"})
    assert "cannot be your email address" in page.get_data(as_text=True)
    assert client.get(link).status_code == 200  # still unused


def test_reset_requests_are_rate_limited_per_email(client, make, outbox) -> None:
    make.user(email="ana@example.org")
    for _ in range(3):
        assert client.post("/reset", data={"email": "ana@example.org"}).status_code == 302
    limited = client.post("/reset", data={"email": "ANA@example.org"})
    assert limited.status_code == 429
    assert len(outbox()) == 3


def test_a_reset_used_in_another_accounts_browser_ends_that_session_too(
    client, make, db, login, outbox
) -> None:
    signed_in = make.user(email="first@example.org")
    make.user(email="second@example.org")
    login(client, signed_in)
    client.post("/reset", data={"email": "second@example.org"})
    client.post(link_in(outbox()[0], "/reset/"), data={"password": NEW, "confirm": NEW})

    assert client.get("/account").status_code == 302
    reread(db)
    [row] = db.query(UserSession).filter_by(user_id=signed_in.id).all()
    assert row.ended_at is not None  # not left alive behind a forgotten cookie


def test_known_and_unknown_addresses_answer_no_sooner_than_the_floor(app, client, make) -> None:
    import time

    app.config["RESET_FLOOR_SECONDS"] = 0.05
    make.user(email="ana@example.org")
    for email in ("ana@example.org", "nobody@example.org"):
        started = time.monotonic()
        assert client.post("/reset", data={"email": email}).status_code == 302
        assert time.monotonic() - started >= 0.05, email


def test_the_floor_is_waited_out_after_the_commit(app, client, make, monkeypatch) -> None:
    """Committing the queued link costs a disk sync the unknown address never pays."""
    import sqlalchemy as sa

    from portal import answer_floor
    from portal.db import engine_for

    make.user(email="ana@example.org")
    events: list[str] = []

    class Clock:
        monotonic = staticmethod(__import__("time").monotonic)

        @staticmethod
        def sleep(_seconds: float) -> None:
            events.append("wait")

    monkeypatch.setattr(answer_floor, "time", Clock)
    engine = engine_for(app.config["DATABASE_URL"])
    def on_commit(_conn: object) -> None:
        events.append("commit")

    sa.event.listen(engine, "commit", on_commit)
    try:
        for email in ("ana@example.org", "nobody@example.org"):
            events.clear()
            client.post("/reset", data={"email": email})
            assert events == ["commit", "wait"], email
    finally:
        sa.event.remove(engine, "commit", on_commit)
