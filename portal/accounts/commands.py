"""`portal create-staff`: accounts for the help desk and for school verifiers."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

import click
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import audit
from portal.orm import utcnow
from portal.registry.organizations import Organization, OrgKind

from .models import Role, User
from .passwords import hash_password, password_problem
from .rules import normalize_email

CREATABLE_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.SCHOOL_VERIFIER)
VERIFIER_ORG_KINDS = frozenset({OrgKind.SCHOOL, OrgKind.CHILD_CARE})


class StaffProblem(StrEnum):
    BAD_EMAIL = "bad_email"
    EMAIL_TAKEN = "email_taken"
    NO_SUCH_ORG = "no_such_org"
    NEEDS_ORG = "needs_org"
    NOT_A_SCHOOL = "not_a_school"


class StaffAccountError(Exception):
    """A plain-language reason the account was not created (the pages translate `problem`)."""

    def __init__(self, problem: StaffProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def temporary_password() -> str:
    while True:  # a random 16-character password is never on the common list; check anyway
        candidate = secrets.token_urlsafe(12)
        if password_problem(candidate) is None:
            return candidate


def create_staff_account(
    db: Session,
    email: str,
    role: Role,
    *,
    org_identifier: str | None,
    name: str | None,
    actor: User | None = None,
    now: datetime | None = None,
) -> tuple[User, str]:
    """A confirmed account with a random temporary password (returned once, stored hashed),
    to be changed at first sign-in; `actor` is the supervisor (None: the command line)."""
    now = now or utcnow()
    email = normalize_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        message = f"{email!r} is not an email address."
        raise StaffAccountError(StaffProblem.BAD_EMAIL, message) from exc
    if db.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise StaffAccountError(
            StaffProblem.EMAIL_TAKEN, f"An account with the email {email} already exists."
        )
    organization = None
    if org_identifier:
        organization = db.scalar(
            sa.select(Organization).where(Organization.identifier == org_identifier)
        )
        if organization is None:
            raise StaffAccountError(
                StaffProblem.NO_SUCH_ORG, f"No organization has the identifier {org_identifier!r}."
            )
    if role == Role.SCHOOL_VERIFIER:
        if organization is None:
            raise StaffAccountError(
                StaffProblem.NEEDS_ORG, "A school verifier needs --org, the school's identifier."
            )
        if organization.kind not in VERIFIER_ORG_KINDS:
            raise StaffAccountError(
                StaffProblem.NOT_A_SCHOOL,
                f"{org_identifier} is not a school or child-care organization.",
            )
    password = temporary_password()
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        full_name=name,
        organization=organization,
        email_confirmed_at=now,
        password_changed_at=now,
        password_temporary=True,
        created_at=now,
    )
    try:
        with db.begin_nested():  # the same address created a moment ago by someone else
            db.add(user)
    except IntegrityError as exc:
        raise StaffAccountError(
            StaffProblem.EMAIL_TAKEN, f"An account with the email {email} already exists."
        ) from exc
    audit.record(
        db, actor=actor, action=audit.AuditAction.STAFF_CREATED, subject=user,
        after={"email": email, "role": str(role), "organization": org_identifier},
        now=now,
    )  # fmt: skip
    return user, password


@click.command("create-staff", help="Create a help-desk or school-verifier account.")
@click.argument("email")
@click.option(
    "--role", required=True, type=click.Choice([r.value for r in CREATABLE_ROLES]), help="Role."
)
@click.option("--org", "org_identifier", help="Organization identifier (school verifiers).")
@click.option("--name", help="The person's full name.")
def create_staff(email: str, role: str, org_identifier: str | None, name: str | None) -> None:
    from portal.cli import command_app
    from portal.db import db

    with command_app().app_context():
        try:
            with db.transaction() as session:
                user, password = create_staff_account(
                    session, email, Role(role), org_identifier=org_identifier, name=name
                )
        except StaffAccountError as exc:
            raise click.ClickException(str(exc)) from exc
    # Printed only once the account is committed.
    click.echo(f"Created {role} account {user.email}.")
    click.echo(f"Temporary password (shown only this once): {password}")
    click.echo("At first sign-in they must choose a new password.")
    if user.is_staff:
        click.echo("Then they set up an authenticator app (second factor).")
