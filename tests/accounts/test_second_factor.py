"""The staff second factor: enrolment, codes, replays, and staff pages closed before it."""

from __future__ import annotations

import pyotp
from flask import Flask

from portal.access import STAFF, allow
from portal.accounts.models import Role, User, UserSession
from portal.accounts.sealing import SecretBox
from portal.orm import utcnow
from tests.conftest import SECRET

from .conftest import reread


def _current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def _staff_page(app: Flask) -> None:
    """A stand-in staff page (the request queue is built elsewhere)."""
    app.add_url_rule("/staff-only", "staff_only", allow(STAFF)(lambda: "staff page"))


def test_staff_reach_no_staff_page_before_the_second_factor(app, client, make, login) -> None:
    _staff_page(app)
    login(client, make.user(role=Role.AGENT), mfa=False)
    response = client.get("/staff-only")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/second-factor?next=/staff-only"


def test_a_right_code_passes_and_returns_to_the_page(app, client, make, db, login) -> None:
    _staff_page(app)
    user = make.user(role=Role.AGENT)
    login(client, user, mfa=False)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "Enter your code" in page and "data:image/svg+xml" not in page

    response = client.post(
        "/account/second-factor?next=/staff-only", data={"code": _current_code(user.totp_secret)}
    )
    assert response.headers["Location"] == "/staff-only"
    assert client.get("/staff-only").data == b"staff page"
    reread(db)
    assert db.query(UserSession).filter_by(user_id=user.id).one().mfa_at is not None
    assert db.get(User, user.id).totp_last_step is not None


def test_a_new_staff_member_enrols_with_a_qr_code(client, make, db, login) -> None:
    user = make.user(role=Role.SUPERVISOR, totp_secret=None, totp_confirmed_at=None)
    login(client, user, mfa=False)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "Set up your authenticator app" in page
    assert 'src="data:image/svg+xml' in page
    reread(db)
    secret = SecretBox(SECRET).open(db.get(User, user.id).totp_secret)  # stored sealed
    assert secret and len(secret) == 32
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page
    assert client.get("/account/second-factor").get_data(as_text=True).count(secret[:4]) >= 1
    reread(db)
    assert SecretBox(SECRET).open(db.get(User, user.id).totp_secret) == secret  # stable

    wrong = client.post("/account/second-factor", data={"code": "000000"})
    assert "That code is not right." in wrong.get_data(as_text=True)
    reread(db)
    assert db.get(User, user.id).totp_confirmed_at is None

    response = client.post("/account/second-factor", data={"code": _current_code(secret)})
    assert response.status_code == 302
    reread(db)
    assert db.get(User, user.id).totp_confirmed_at is not None


def test_a_code_cannot_be_used_twice(app, client, make, login) -> None:
    user = make.user(role=Role.AGENT)
    code = _current_code(user.totp_secret)
    login(client, user, mfa=False)
    assert client.post("/account/second-factor", data={"code": code}).status_code == 302

    second_browser = app.test_client()
    login(second_browser, user, mfa=False)
    replay = second_browser.post("/account/second-factor", data={"code": code})
    assert replay.status_code == 200
    assert "That code was already used." in replay.get_data(as_text=True)
    assert second_browser.get("/account").status_code == 302  # still blocked


def test_codes_are_rate_limited_per_user(client, make, login) -> None:
    login(client, make.user(role=Role.AGENT), mfa=False)
    for _ in range(5):
        assert client.post("/account/second-factor", data={"code": "000000"}).status_code == 200
    limited = client.post("/account/second-factor", data={"code": "000000"})
    assert limited.status_code == 429
    assert "Too many tries" in limited.get_data(as_text=True)


def test_parents_have_no_second_factor_page(client, make, login) -> None:
    login(client, make.user())
    assert client.get("/account/second-factor").status_code == 403


def test_a_staff_member_who_passed_goes_straight_on(client, make, login) -> None:
    login(client, make.user(role=Role.AGENT), mfa=True)
    response = client.get("/account/second-factor?next=/account")
    assert response.headers["Location"] == "/account"


def test_pass_second_factor_marks_only_the_current_session(db, make) -> None:
    from portal.accounts import services
    from portal.accounts.sessions import start_session
    from portal.accounts.totp import CodeCheck

    user = make.user(role=Role.AGENT)
    other = start_session(db, user)
    current = start_session(db, user)
    now = utcnow()
    code = pyotp.TOTP(user.totp_secret).at(now)
    box = SecretBox(SECRET)
    assert services.pass_second_factor(db, user, code, now=now, box=box) is CodeCheck.OK
    assert current.mfa_at == now and other.mfa_at is None
    assert services.pass_second_factor(db, user, code, now=now, box=box) is CodeCheck.REUSED
