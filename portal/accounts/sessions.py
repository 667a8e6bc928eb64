"""Server-side sessions: the cookie carries a random token; the table keeps only its hash.

Someone who can read the database (a backup, a replica, a log of queries) sees
session rows but cannot turn them into a working cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal.orm import utcnow

from .models import User, UserSession

# Refreshing last_seen on every request would write on every request.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lives: idle time (shorter for staff, who open many people's
    records) and a lifetime after which even a busy session must sign in again."""

    idle: timedelta
    staff_idle: timedelta
    lifetime: timedelta

    def idle_for(self, user: User) -> timedelta:
        return self.staff_idle if user.is_staff else self.idle


def session_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Session, user: User) -> UserSession:
    """A new session; its `token` (for the cookie) exists only on this object, not in the table."""
    token = secrets.token_urlsafe(32)
    row = UserSession(id=session_key(token), user=user)
    row.token = token
    db.add(row)
    db.flush()
    user.current_session = row
    return row


def load_session(
    db: Session, token: str, *, policy: SessionPolicy, now: datetime | None = None
) -> User | None:
    """The user of a live session, or None when it ended, went idle, ran out its
    lifetime, or the user is inactive (which ends it here)."""
    now = now or utcnow()
    # The user comes in the same query: every signed-in request pays for this one.
    row = db.scalar(_SESSION_AND_USER, {"key": session_key(token)})
    if row is None or row.ended_at is not None:
        return None
    user = row.user
    idle = now - row.last_seen_at > policy.idle_for(user)
    if idle or now - row.created_at > policy.lifetime or not user.active:
        row.ended_at = now
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
    row.token = token
    row.user.current_session = row
    return row.user


# Built once: building the statement with its eager load cost more than running it.
_SESSION_AND_USER = (
    sa.select(UserSession)
    .options(joinedload(UserSession.user))
    .where(UserSession.id == sa.bindparam("key"))
)


def end_session(row: UserSession, now: datetime | None = None) -> None:
    row.ended_at = row.ended_at or now or utcnow()


def end_all_sessions(db: Session, user: User, *, keep: UserSession | None = None) -> int:
    """End every live session of a user (password change, reset, deactivation)."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.execute(
        query.values(ended_at=utcnow()), execution_options={"synchronize_session": "fetch"}
    )
    return result.rowcount or 0
