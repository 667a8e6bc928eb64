"""Supervisors' staff-account operations, and the temporary password's first change.

Functions over a Session: they flush, the request commits. Every change is written to
the audit trail in the same transaction. Creating an account is
`commands.create_staff_account`, which `portal create-staff` uses too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal import audit

from .models import Role, User
from .passwords import verify_password
from .services import set_password
from .sessions import end_all_sessions, start_session

MANAGED_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.SCHOOL_VERIFIER)


class Refusal(StrEnum):
    NOT_STAFF = "not_staff"  # not an account this page manages: answered as not found
    YOURSELF = "yourself"  # a supervisor does not lock themself out


def staff_accounts(db: Session) -> Sequence[User]:
    return db.scalars(
        sa.select(User)
        .options(joinedload(User.organization))
        .where(User.role.in_(MANAGED_ROLES))
        .order_by(User.active.desc(), User.email)
    ).all()


def managed_account(db: Session, user_id: int) -> User | None:
    user = db.get(User, user_id)
    return user if user is not None and user.role in MANAGED_ROLES else None


def _state(user: User) -> dict[str, object]:
    return {
        "active": user.active,
        "second_factor": user.totp_confirmed_at is not None,
    }


def disable_account(db: Session, supervisor: User, user: User, *, now: datetime) -> Refusal | None:
    """Disable an account and end its sessions at once (not at their next request)."""
    if user.id == supervisor.id:
        return Refusal.YOURSELF
    before = _state(user)
    user.active = False
    end_all_sessions(db, user)
    audit.record(
        db, actor=supervisor, action=audit.AuditAction.STAFF_DISABLED, subject=user,
        before=before, after=_state(user), now=now,
    )  # fmt: skip
    return None


def enable_account(db: Session, supervisor: User, user: User, *, now: datetime) -> Refusal | None:
    """Undo a disable (a mistaken click costs a supervisor one more click, not a ticket)."""
    before = _state(user)
    user.active = True
    audit.record(
        db, actor=supervisor, action=audit.AuditAction.STAFF_ENABLED, subject=user,
        before=before, after=_state(user), now=now,
    )  # fmt: skip
    return None


def reset_second_factor(
    db: Session, supervisor: User, user: User, *, now: datetime
) -> Refusal | None:
    """Forget a lost authenticator: the next sign-in enrols a new one. Sessions that passed
    the old one end, since whoever holds the lost phone may hold one of them too."""
    if user.id == supervisor.id:
        return Refusal.YOURSELF
    before = _state(user)
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    end_all_sessions(db, user)
    audit.record(
        db, actor=supervisor, action=audit.AuditAction.STAFF_SECOND_FACTOR_RESET, subject=user,
        before=before, after=_state(user), now=now,
    )  # fmt: skip
    return None


def is_temporary_password(user: User, candidate: str) -> bool:
    return verify_password(user.password_hash, candidate)


def replace_temporary_password(db: Session, user: User, password: str, *, now: datetime) -> None:
    """The account's own password replaces the temporary one; every session ends and this
    browser gets a new one, still without the second factor."""
    set_password(db, user, password, now=now)
    user.password_temporary = False
    start_session(db, user)
    audit.record(
        db, actor=user, action=audit.AuditAction.TEMPORARY_PASSWORD_CHANGED, subject=user,
        now=now,
    )  # fmt: skip
