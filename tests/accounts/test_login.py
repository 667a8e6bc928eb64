"""Sign-in, where it leads, sign-out, and the limits on guessing."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.accounts.models import Role, UserSession
from tests.factories import PASSWORD

from .conftest import reread, session_cookie, without_csrf


def _login(client, email, password=PASSWORD, next_=None):  # type: ignore[no-untyped-def]
    url = "/login" if next_ is None else f"/login?next={next_}"
    return client.post(url, data={"email": email, "password": password})


def test_sign_in_starts_a_server_side_session(client, make, db) -> None:
    user = make.user(email="ana@example.org")
    response = _login(client, " ANA@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/records"  # a parent lands on "My records"
    reread(db)
    [row] = db.query(UserSession).filter_by(user_id=user.id).all()
    assert row.ended_at is None
    assert session_cookie(client)
    assert "Sign out" in client.get("/").get_data(as_text=True)


def _comparable(response) -> str:  # type: ignore[no-untyped-def]
    """The page without what differs by nature: the typed email and the CSRF token's time."""
    return without_csrf(response.get_data(as_text=True).replace("nobody@", "ana@"))


def test_unknown_email_and_wrong_password_get_the_same_answer(client, make) -> None:
    make.user(email="ana@example.org")
    unknown = _login(client, "nobody@example.org")
    wrong = _login(client, "ana@example.org", "not the password at all")
    assert unknown.status_code == wrong.status_code == 200
    assert "The email or password is not right." in unknown.get_data(as_text=True)
    assert _comparable(unknown) == _comparable(wrong)
    assert "Sign out" not in wrong.get_data(as_text=True)


def test_an_inactive_account_cannot_sign_in(client, make) -> None:
    make.user(email="gone@example.org", active=False)
    response = _login(client, "gone@example.org")
    assert response.status_code == 200
    assert "The email or password is not right." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_", "expected"),
    [
        ("/account", "/account"),
        ("https://evil.example/", "/records"),
        ("//evil.example", "/records"),
    ],
)
def test_next_is_followed_only_when_local(client, make, next_: str, expected: str) -> None:
    make.user(email="ana@example.org")
    response = _login(client, "ana@example.org", next_=next_)
    assert response.headers["Location"] == expected


def test_each_role_lands_on_its_own_page(app) -> None:
    from portal.accounts.models import User
    from portal.accounts.views import landing_url

    with app.test_request_context():
        assert landing_url(User(role=Role.PARENT)) == "/records"
        assert landing_url(User(role=Role.SCHOOL_VERIFIER)) == "/verify"
        assert landing_url(User(role=Role.AGENT)) == "/staff/queue"
        assert landing_url(User(role=Role.SUPERVISOR)) == "/staff/queue"


def test_staff_are_sent_to_the_second_factor_first(client, make) -> None:
    make.user(email="agent@example.org", role=Role.AGENT)
    response = _login(client, "agent@example.org", next_="/account")
    assert response.headers["Location"] == "/account/second-factor?next=/account"


def test_sign_out_ends_the_session_so_a_copied_cookie_is_dead(app: Flask, client, make, db) -> None:
    user = make.user(email="ana@example.org")
    _login(client, "ana@example.org")
    copied = session_cookie(client)
    assert client.get("/account").status_code == 200

    response = client.post("/logout")
    assert response.status_code == 302
    reread(db)
    [row] = db.query(UserSession).filter_by(user_id=user.id).all()
    assert row.ended_at is not None

    thief: FlaskClient = app.test_client()
    thief.set_cookie("session", copied)
    stolen = thief.get("/account")
    assert stolen.status_code == 302 and stolen.headers["Location"].startswith("/login")


def test_sign_out_needs_a_csrf_token(client, make, login) -> None:
    login(client, make.user())
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/account").status_code == 200


@pytest.fixture
def fast_hashing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The limit tests are about counting, not hashing: skip argon2's deliberate slowness."""
    monkeypatch.setattr(
        "portal.accounts.services.verify_password", lambda h, p: h is not None and p == PASSWORD
    )


def test_too_many_tries_for_one_email_are_refused(client, make, fast_hashing) -> None:
    make.user(email="ana@example.org")
    for _ in range(5):
        assert _login(client, "ana@example.org", "wrong guess number").status_code == 200
    limited = _login(client, " Ana@Example.org", PASSWORD)  # even the right password waits
    assert limited.status_code == 429
    assert "Too many tries" in limited.get_data(as_text=True)
    assert _login(client, "other@example.org", "wrong guess").status_code == 200


def test_too_many_tries_from_one_address_are_refused(client, fast_hashing) -> None:
    for n in range(10):
        assert _login(client, f"person{n}@example.org", "wrong guess").status_code == 200
    limited = _login(client, "person99@example.org", "wrong guess")
    assert limited.status_code == 429
    assert "Too many tries" in limited.get_data(as_text=True)


def test_sign_out_clears_what_the_browser_session_held_but_the_language(
    client, make, login
) -> None:
    login(client, make.user())
    client.post("/language", data={"lang": "es"})
    with client.session_transaction() as sess:
        sess["linking_challenge"] = "challenge-of-the-last-person"
        csrf_before = sess["csrf_token"]

    client.post("/logout")

    with client.session_transaction() as sess:
        assert "linking_challenge" not in sess
        assert "_user_id" not in sess
        assert sess.get("csrf_token") != csrf_before  # a new visitor gets a new token
        assert sess["lang"] == "es"  # not personal; the next page stays in their language


def test_signing_in_drops_what_an_earlier_session_left_behind(client, make) -> None:
    make.user(email="ana@example.org")
    with client.session_transaction() as sess:
        sess["linking_challenge"] = "left by whoever used this computer before"
    assert _login(client, "ana@example.org").status_code == 302
    with client.session_transaction() as sess:
        assert "linking_challenge" not in sess
        assert sess["_user_id"]


def test_signing_in_rehashes_a_password_hashed_with_older_settings(client, make, db) -> None:
    from argon2 import PasswordHasher

    from portal.accounts.models import User
    from portal.accounts.passwords import needs_rehash, verify_password

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = make.user(email="ana@example.org", password_hash=weak)
    assert needs_rehash(weak)
    assert _login(client, "ana@example.org").status_code == 302
    reread(db)
    stored = db.get(User, user.id).password_hash
    assert stored != weak and not needs_rehash(stored)
    assert verify_password(stored, PASSWORD)


def test_an_account_without_a_language_takes_the_one_picked_before_signing_in(
    client, make, db
) -> None:
    """The demo's accounts have none: a parent who pressed "Español" and then signed in reads
    Spanish pages, and the emails about her requests must be Spanish too."""
    from portal.accounts.models import User

    blank = make.user(email="ana@example.org", locale=None)
    english = make.user(email="rosa@example.org", locale="en")
    for user in (blank, english):
        client.post("/language", data={"lang": "es"})
        assert _login(client, user.email).status_code == 302
        client.post("/logout")
    db.expire_all()
    assert db.get(User, blank.id).locale == "es"
    assert db.get(User, english.id).locale == "en"  # a language the account has stays
