"""Accounts and their server-side sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.orm import Base, enum_column, utcnow
from portal.registry.organizations import Organization


class Role(StrEnum):
    PARENT = "parent"  # parents, guardians and adult patients
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    SCHOOL_VERIFIER = "school_verifier"


STAFF_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR})


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.PARENT)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    email_confirmed_at: Mapped[datetime | None]
    # Schools verify as their organization; staff belong to the registry's.
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"))
    totp_secret: Mapped[str | None] = mapped_column(sa.String(128))  # sealed: see sealing.py
    totp_confirmed_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]  # refuses a replayed code
    active: Mapped[bool] = mapped_column(default=True)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by a supervisor or `create-staff`: changed at first sign-in, before anything else.
    password_temporary: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization | None] = relationship()

    # Set by the session loader for the request; not a column.
    current_session = None  # type: UserSession | None

    # Flask-Login's protocol, written out so models stay free of Flask imports.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.current_session.token if self.current_session else None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def mfa_passed(self) -> bool:
        return bool(self.current_session and self.current_session.mfa_at)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(Base):
    """A signed-in browser. Signing out or changing the password ends it here, on the server."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(
        sa.String(64), primary_key=True
    )  # SHA-256 of the cookie's token
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # `portal purge`
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    mfa_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    # The cookie's token, known only while the request that created or loaded it runs.
    token = None  # type: str | None
