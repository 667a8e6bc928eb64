"""`portal create-staff`, run through click against the test database."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.accounts.commands import create_staff
from portal.accounts.models import Role, User
from portal.accounts.passwords import verify_password
from portal.registry import OrgKind

from .conftest import reread


def _run(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(create_staff, list(args))


def _user(db, email: str) -> User | None:  # type: ignore[no-untyped-def]
    reread(db)
    return db.scalar(sa.select(User).where(User.email == email))


def test_creates_a_confirmed_agent_with_a_temporary_password(app, db) -> None:
    result = _run(app, " Agent@Example.org", "--role", "agent", "--name", "Rosa Diaz")
    assert result.exit_code == 0, result.output
    password = re.search(r"Temporary password \(shown only this once\): (\S+)", result.output)
    assert password
    user = _user(db, "agent@example.org")
    assert user is not None
    assert user.role == Role.AGENT and user.full_name == "Rosa Diaz"
    assert user.email_confirmed_at is not None
    assert user.totp_confirmed_at is None  # enrolled at first sign-in
    assert verify_password(user.password_hash, password.group(1))
    assert password.group(1) not in user.password_hash


def test_the_temporary_password_must_be_replaced_before_the_second_factor(app, client) -> None:
    output = _run(app, "sup@example.org", "--role", "supervisor").output
    password = re.search(r"once\): (\S+)", output).group(1)
    response = client.post("/login", data={"email": "sup@example.org", "password": password})
    assert response.headers["Location"].startswith("/account/new-password")
    assert client.get("/account/second-factor").headers["Location"].startswith(
        "/account/new-password"
    )
    new = "a brand new staff password"
    changed = client.post(
        response.headers["Location"], data={"password": new, "confirm": new}
    )
    assert changed.headers["Location"].startswith("/account/second-factor")
    assert client.get("/account/second-factor").status_code == 200


def test_refuses_a_duplicate_email(app, make) -> None:
    make.user(email="taken@example.org")
    result = _run(app, "TAKEN@example.org", "--role", "agent")
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_a_school_verifier_needs_an_existing_school(app, db, make) -> None:
    school = make.org(identifier="SCH001", kind=OrgKind.SCHOOL)
    make.org(identifier="CLINIC1", kind=OrgKind.PROVIDER)

    missing = _run(app, "v@example.org", "--role", "school_verifier")
    assert missing.exit_code != 0 and "needs --org" in missing.output
    unknown = _run(app, "v@example.org", "--role", "school_verifier", "--org", "NOPE")
    assert unknown.exit_code != 0 and "No organization" in unknown.output
    clinic = _run(app, "v@example.org", "--role", "school_verifier", "--org", "CLINIC1")
    assert clinic.exit_code != 0 and "not a school" in clinic.output
    assert _user(db, "v@example.org") is None

    ok = _run(app, "v@example.org", "--role", "school_verifier", "--org", "SCH001")
    assert ok.exit_code == 0, ok.output
    assert _user(db, "v@example.org").organization_id == school.id


def test_refuses_parents_and_bad_addresses(app, db) -> None:
    assert _run(app, "p@example.org", "--role", "parent").exit_code != 0
    bad = _run(app, "not-an-email", "--role", "agent")
    assert bad.exit_code != 0 and "not an email address" in bad.output
    reread(db)
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 0
