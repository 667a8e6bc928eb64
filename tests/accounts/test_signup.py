"""Sign-up, the confirmation email and its link, and the page for unconfirmed parents."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.accounts.models import Role, User
from tests.factories import PASSWORD

from .conftest import link_in, reread, without_csrf

NEW_PASSWORD = "blue kitchen river song"


def _sign_up(client, email="Ana.Lopez@Example.org ", password=NEW_PASSWORD, **extra):  # type: ignore[no-untyped-def]
    data = {"email": email, "password": password, "confirm": password, "language": "en"}
    data.update(extra)
    return client.post("/signup", data=data)


def _user(db, email: str) -> User | None:  # type: ignore[no-untyped-def]
    reread(db)
    return db.scalar(sa.select(User).where(User.email == email))


def test_sign_up_queues_a_confirmation_link_that_works_once(client, db, outbox) -> None:
    response = _sign_up(client, language="es")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/signup/check-email")

    user = _user(db, "ana.lopez@example.org")  # stored trimmed and lower-case
    assert user is not None and user.role == Role.PARENT and user.locale == "es"
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2id$")
    [message] = outbox()
    assert message.recipient == "ana.lopez@example.org"
    assert message.sent_at is None
    link = link_in(message, "/confirm/")

    first = client.get(link)
    assert first.status_code == 302 and first.headers["Location"].endswith("/login")
    confirmed_at = _user(db, "ana.lopez@example.org").email_confirmed_at
    assert confirmed_at is not None

    again = client.get(link, follow_redirects=True)
    assert "already confirmed" in again.get_data(as_text=True)
    assert _user(db, "ana.lopez@example.org").email_confirmed_at == confirmed_at


def test_after_confirming_the_parent_can_sign_in_to_their_landing_page(client, outbox) -> None:
    _sign_up(client)
    client.get(link_in(outbox()[0], "/confirm/"))
    response = client.post(
        "/login", data={"email": "ana.lopez@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert "/account/unconfirmed" not in response.headers["Location"]


def test_a_second_sign_up_reveals_nothing_and_tells_the_owner(client, make, db, outbox) -> None:
    owner = make.user(email="owner@example.org")
    first_page = client.get(_sign_up(client, email="new@example.org").headers["Location"])
    response = _sign_up(client, email=" OWNER@example.org", password="another long passphrase")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/signup/check-email")
    assert without_csrf(client.get(response.headers["Location"]).data) == without_csrf(
        first_page.data
    )

    reread(db)
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 2
    assert db.get(User, owner.id).password_hash == owner.password_hash
    note = outbox()[-1]
    assert note.recipient == "owner@example.org"
    assert "/confirm/" not in note.body
    assert "/reset" in note.body and "/login" in note.body


def test_a_weak_password_re_renders_the_form_with_the_input_kept(client, db, outbox) -> None:
    cases = {
        "short": "Use at least 8 characters.",
        "password123": "one of the most used",
        "ana.lopez@example.org": "cannot be your email address",
    }
    for password, message in cases.items():
        response = _sign_up(client, password=password, language="es")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in page
        assert 'value="ana.lopez@example.org"' in page
        assert password not in page.replace('value="ana.lopez@example.org"', "")
        assert re.search(r'<option[^>]* selected[^>]* value="es"', page)
    assert _user(db, "ana.lopez@example.org") is None
    assert outbox() == []


def test_mismatched_passwords_and_bad_emails_are_explained(client) -> None:
    page = _sign_up(client, confirm="something else entirely").get_data(as_text=True)
    assert "The two passwords are not the same." in page
    page = _sign_up(client, email="not-an-address").get_data(as_text=True)
    assert "Enter an email address like name@example.com." in page
    assert 'aria-invalid="true"' in page
    assert '="None"' not in page  # no attribute rendered from a missing value


def test_a_broken_confirmation_link_explains_what_to_do(client) -> None:
    response = client.get("/confirm/not-a-real-token")
    assert response.status_code == 400
    assert "The link is not complete." in response.get_data(as_text=True)


def test_an_unconfirmed_parent_is_sent_to_the_unconfirmed_page(client, make, outbox) -> None:
    user = make.user(email="late@example.org", email_confirmed_at=None)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/account/unconfirmed")
    page = client.get("/account/unconfirmed").get_data(as_text=True)
    assert "late@example.org" in page

    for _ in range(3):
        assert client.post("/account/unconfirmed").status_code == 302
    assert [m.recipient for m in outbox()] == ["late@example.org"] * 3
    limited = client.post("/account/unconfirmed")
    assert limited.status_code == 429
    assert "Too many tries" in limited.get_data(as_text=True)
    assert len(outbox()) == 3


def test_the_link_signs_nobody_in_but_a_signed_in_owner_goes_on(
    client, make, login, outbox
) -> None:
    user = make.user(email="late@example.org", email_confirmed_at=None)
    login(client, user)
    client.post("/account/unconfirmed")
    response = client.get(link_in(outbox()[0], "/confirm/"))
    assert response.status_code == 302
    assert not response.headers["Location"].endswith("/login")
    assert client.get("/account/unconfirmed").status_code == 302  # nothing left to confirm


def test_signed_in_users_are_sent_away_from_sign_up(client, make, login) -> None:
    login(client, make.user())
    response = client.get("/signup")
    assert response.status_code == 302 and "/signup" not in response.headers["Location"]


def test_sign_up_is_rate_limited_per_email(client, monkeypatch) -> None:
    # The test counts requests; argon2's deliberate slowness adds nothing to it.
    monkeypatch.setattr("portal.accounts.services.hash_password", lambda p: "$argon2id$fake")
    for _ in range(3):
        assert _sign_up(client, email="same@example.org").status_code == 302
    assert _sign_up(client, email="Same@example.org").status_code == 429
