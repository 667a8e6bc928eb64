"""Supervisors' staff accounts: create with a temporary password, disable, reset the second
factor; every change in the audit trail; agents and everyone else refused."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.accounts import staff_accounts
from portal.accounts.models import Role, User, UserSession
from portal.accounts.passwords import verify_password
from portal.audit import AuditAction
from portal.audit.models import AuditEntry
from portal.orm import utcnow
from portal.registry import OrgKind

from .conftest import reread

ROUTES = [
    ("get", "/staff/accounts"),
    ("get", "/staff/accounts/new"),
    ("post", "/staff/accounts/new"),
    ("post", "/staff/accounts/{id}/disable"),
    ("post", "/staff/accounts/{id}/enable"),
    ("post", "/staff/accounts/{id}/reset-second-factor"),
]


@pytest.fixture
def supervisor(make) -> User:  # type: ignore[no-untyped-def]
    return make.user(role=Role.SUPERVISOR, email="boss@example.org")


@pytest.fixture
def boss(app, login, supervisor):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, supervisor)
    return client


def _audit(db) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    reread(db)
    return list(db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_only_supervisors_past_the_second_factor(app, make, login, method, path) -> None:
    target = make.user(role=Role.AGENT)
    path = path.format(id=target.id)
    assert getattr(app.test_client(), method)(path).status_code in (302, 401)
    for role in (Role.PARENT, Role.AGENT, Role.SCHOOL_VERIFIER):
        client = app.test_client()
        login(client, make.user(role=role))
        assert getattr(client, method)(path).status_code == 403, role
    pending = app.test_client()
    login(pending, make.user(role=Role.SUPERVISOR), mfa=False)
    assert getattr(pending, method)(path).status_code in (302, 401)
    reread(make.db)
    assert make.db.get(User, target.id).active and _audit(make.db) == []


def test_the_list_shows_staff_and_verifiers_not_parents(boss, make) -> None:
    make.user(role=Role.AGENT, email="agent@example.org")
    make.user(role=Role.SCHOOL_VERIFIER, email="school@example.org",
              organization=make.org(kind=OrgKind.SCHOOL, name="Roosevelt Elementary"))  # fmt: skip
    make.user(email="parent@example.org")
    page = boss.get("/staff/accounts").get_data(as_text=True)
    assert "agent@example.org" in page and "school@example.org" in page
    assert "Roosevelt Elementary" in page and "parent@example.org" not in page


def test_create_an_agent_shows_the_temporary_password_once(boss, db, supervisor) -> None:
    response = boss.post(
        "/staff/accounts/new",
        data={"email": " New.Agent@Example.org ", "full_name": "Nia Reyes", "role": "agent"},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    password = re.search(r'<code class="temporary-password">([^<]+)</code>', page).group(1)
    reread(db)
    user = db.scalar(sa.select(User).where(User.email == "new.agent@example.org"))
    assert user.role == Role.AGENT and user.full_name == "Nia Reyes"
    assert user.password_temporary and verify_password(user.password_hash, password)
    assert user.organization_id is None
    assert password not in boss.get("/staff/accounts").get_data(as_text=True)
    (entry,) = _audit(db)
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        AuditAction.STAFF_CREATED, supervisor.id, user.id,
    )  # fmt: skip
    assert password not in repr(entry.after)


def test_a_school_verifier_needs_a_school_and_errors_keep_the_input(boss, db, make) -> None:
    school = make.org(kind=OrgKind.SCHOOL, identifier="SCH9", name="Lincoln High")
    clinic = make.org(kind=OrgKind.PROVIDER, identifier="CLN9")
    data = {"email": "v@example.org", "full_name": "Val Ortiz", "role": "school_verifier"}
    missing = boss.post("/staff/accounts/new", data=data).get_data(as_text=True)
    assert "Choose the verifier's school or child-care organization." in missing
    assert 'value="v@example.org"' in missing and 'value="Val Ortiz"' in missing
    assert "Lincoln High" in missing
    clinic_form = {**data, "organization": clinic.identifier}
    not_a_school = boss.post("/staff/accounts/new", data=clinic_form)
    assert "Choose one of the options in the list." in not_a_school.get_data(as_text=True)
    reread(db)
    assert db.scalar(sa.select(User).where(User.email == "v@example.org")) is None
    ok = boss.post("/staff/accounts/new", data={**data, "organization": school.identifier})
    assert ok.status_code == 200 and "temporary-password" in ok.get_data(as_text=True)
    reread(db)
    assert db.scalar(sa.select(User).where(User.email == "v@example.org")).organization_id == (
        school.id
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "taken@example.org"}, "An account with this email address already exists."),
        ({"email": "not-an-email"}, "Enter an email address like name@example.com."),
        ({"role": "parent"}, "Choose one of the options in the list."),
        ({"full_name": ""}, "Enter the person's name."),
    ],
)
def test_bad_input_is_a_form_error_not_an_account(boss, db, make, data, message) -> None:
    make.user(email="taken@example.org")
    form = {"email": "ok@example.org", "full_name": "Ok Name", "role": "agent", **data}
    response = boss.post("/staff/accounts/new", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _audit(db) == []


def test_a_form_without_its_csrf_token_is_refused(boss, make) -> None:
    agent = make.user(role=Role.AGENT)
    data = {"email": "x@example.org", "full_name": "X", "role": "agent"}
    assert boss.post("/staff/accounts/new", data=data, csrf=False).status_code == 400
    assert boss.post(f"/staff/accounts/{agent.id}/disable", csrf=False).status_code == 400


def test_disable_ends_every_session_at_once(app, boss, db, make, login, supervisor) -> None:
    agent = make.user(role=Role.AGENT, email="gone@example.org")
    agent_client = app.test_client()
    login(agent_client, agent)
    assert agent_client.get(f"/staff/patients/{make.patient().id}").status_code == 200
    response = boss.post(f"/staff/accounts/{agent.id}/disable")
    assert response.headers["Location"] == "/staff/accounts"
    reread(db)
    assert db.get(User, agent.id).active is False
    live = db.scalar(
        sa.select(sa.func.count()).select_from(UserSession)
        .where(UserSession.user_id == agent.id, UserSession.ended_at.is_(None))
    )  # fmt: skip
    assert live == 0
    assert agent_client.get("/account").status_code == 302  # signed out
    entry = _audit(db)[-1]
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        AuditAction.STAFF_DISABLED, supervisor.id, agent.id,
    )  # fmt: skip
    assert (entry.before["active"], entry.after["active"]) == (True, False)
    assert client_cannot_sign_in(app, "gone@example.org")
    page = boss.get("/staff/accounts").get_data(as_text=True)
    assert "Disabled" in page and f"/staff/accounts/{agent.id}/enable" in page

    boss.post(f"/staff/accounts/{agent.id}/enable")
    reread(db)
    assert db.get(User, agent.id).active
    assert _audit(db)[-1].action == AuditAction.STAFF_ENABLED
    assert not client_cannot_sign_in(app, "gone@example.org")


def client_cannot_sign_in(app, email: str) -> bool:  # type: ignore[no-untyped-def]
    from tests.factories import PASSWORD

    response = app.test_client().post("/login", data={"email": email, "password": PASSWORD})
    return response.status_code == 200 and "Location" not in response.headers


def test_reset_second_factor_makes_the_next_sign_in_enrol(app, boss, db, make, supervisor):
    from tests.factories import PASSWORD

    agent = make.user(role=Role.AGENT, email="lost@example.org")
    boss.post(f"/staff/accounts/{agent.id}/reset-second-factor")
    reread(db)
    user = db.get(User, agent.id)
    assert user.totp_secret is None and user.totp_confirmed_at is None and user.active
    entry = _audit(db)[-1]
    assert entry.action == AuditAction.STAFF_SECOND_FACTOR_RESET and entry.actor_id == supervisor.id
    client = app.test_client()
    client.post("/login", data={"email": "lost@example.org", "password": PASSWORD})
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "data:image/svg+xml" in page  # the enrolment QR code, not a code prompt


def test_a_supervisor_cannot_disable_or_reset_themself(boss, db, supervisor) -> None:
    for action in ("disable", "reset-second-factor"):
        response = boss.post(f"/staff/accounts/{supervisor.id}/{action}", follow_redirects=True)
        assert "You cannot do this to your own account." in response.get_data(as_text=True)
    reread(db)
    assert db.get(User, supervisor.id).active and db.get(User, supervisor.id).totp_secret
    assert _audit(db) == []


def test_parents_and_unknown_accounts_are_not_found(boss, make) -> None:
    parent = make.user()
    assert boss.post(f"/staff/accounts/{parent.id}/disable").status_code == 404
    assert boss.post("/staff/accounts/987654/reset-second-factor").status_code == 404


def test_rules_refuse_acting_on_oneself(db, make) -> None:
    supervisor = make.user(role=Role.SUPERVISOR)
    refusal = staff_accounts.disable_account(db, supervisor, supervisor, now=utcnow())
    assert refusal is staff_accounts.Refusal.YOURSELF and supervisor.active
