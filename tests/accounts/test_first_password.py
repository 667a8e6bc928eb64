"""A temporary password is replaced at first sign-in, before the authenticator is enrolled."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role, User, UserSession
from portal.audit import AuditAction
from portal.audit.models import AuditEntry
from portal.registry import OrgKind
from tests.factories import PASSWORD

from .conftest import reread

NEW = "a password of my very own"


@pytest.fixture
def temporary(make):  # type: ignore[no-untyped-def]
    def account(role: Role = Role.AGENT, **kw) -> User:  # type: ignore[no-untyped-def]
        return make.user(role=role, password_temporary=True, totp_secret=None,
                         totp_confirmed_at=None, **kw)  # fmt: skip

    return account


def _sign_in(client, user: User):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_sign_in_goes_to_the_new_password_page_first(client, temporary) -> None:
    response = _sign_in(client, temporary())
    assert response.headers["Location"].startswith("/account/new-password")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose your password" in page


@pytest.mark.parametrize("path", ["/account/second-factor", "/account", "/staff/patients/1"])
def test_every_signed_in_page_waits_for_the_new_password(client, temporary, path) -> None:
    _sign_in(client, temporary())
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/new-password?next={path}"
    assert client.get("/").status_code == 200  # public pages still open


def test_a_post_elsewhere_is_refused(client, temporary) -> None:
    _sign_in(client, temporary())
    assert client.post("/account/language", data={"locale": "es"}).status_code == 401
    assert client.post("/logout").status_code == 302  # signing out stays possible


def test_the_temporary_password_itself_and_weak_ones_are_refused(client, temporary) -> None:
    _sign_in(client, temporary())
    same = client.post("/account/new-password", data={"password": PASSWORD, "confirm": PASSWORD})
    assert "not the temporary one" in same.get_data(as_text=True)
    short = client.post("/account/new-password", data={"password": "abc", "confirm": "abc"})
    assert "Use at least" in short.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_the_new_password_ends_old_sessions_then_the_second_factor(
    app, client, db, temporary, login
) -> None:
    user = temporary()
    other = app.test_client()
    _sign_in(other, user)
    _sign_in(client, user)
    response = client.post(
        "/account/new-password?next=/staff/patients/1", data={"password": NEW, "confirm": NEW}
    )
    assert response.headers["Location"].startswith("/account/second-factor?next=")
    assert "/staff/patients/1" in response.headers["Location"]
    enrol = client.get("/account/second-factor").get_data(as_text=True)
    assert "data:image/svg+xml" in enrol  # enrolling the authenticator now
    assert other.get("/account/second-factor").status_code == 302  # old session ended
    reread(db)
    stored = db.get(User, user.id)
    assert stored.password_temporary is False
    live = db.scalars(
        sa.select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    assert len(live) == 1 and live[0].mfa_at is None
    (entry,) = db.scalars(sa.select(AuditEntry)).all()
    assert (entry.action, entry.actor_id) == (AuditAction.TEMPORARY_PASSWORD_CHANGED, user.id)
    assert client.get("/account/new-password").status_code == 302  # nothing to do any more


def test_a_school_verifier_lands_on_its_page_after_the_new_password(client, make, temporary):
    verifier = temporary(Role.SCHOOL_VERIFIER, organization=make.org(kind=OrgKind.SCHOOL))
    _sign_in(client, verifier)
    response = client.post("/account/new-password", data={"password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/verify"


def test_an_account_a_supervisor_made_signs_in_end_to_end(app, make, login) -> None:
    boss = app.test_client()
    login(boss, make.user(role=Role.SUPERVISOR))
    page = boss.post(
        "/staff/accounts/new",
        data={"email": "fresh@example.org", "full_name": "Fresh Face", "role": "agent"},
    ).get_data(as_text=True)
    password = re.search(r'<code class="temporary-password">([^<]+)</code>', page).group(1)
    client = app.test_client()
    first = client.post("/login", data={"email": "fresh@example.org", "password": password})
    assert first.headers["Location"].startswith("/account/new-password")
    done = client.post(first.headers["Location"], data={"password": NEW, "confirm": NEW})
    assert done.headers["Location"].startswith("/account/second-factor")
