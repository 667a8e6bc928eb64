"""Retention: what `portal purge` deletes, one plain function per kind of row.

Each takes the time now and the period to keep, deletes in one bulk DELETE by an indexed
column (no rows are loaded) and returns how many rows went; with `count_only` it counts
the same rows and deletes nothing (`portal purge --dry-run`).

Kept for good, never purged here: the access log, records, doses, requests, issued cards
and the audit chain (the registry's history). Rate-limit counters live in Redis with an
expiry of their own, so none are kept in the database. A reminder's sent-marker stays as
long as its link is in force (it is what stops a second send of the same stage), and goes
once the link ended. Not purged: `hl7_import_progress` (one row per imported file, which
a rerun of that file needs) and each link's opt-ins (one row per link, not per use).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import UserSession
from portal.linking.models import (
    AccessCode,
    LinkAttempt,
    LinkChallenge,
    PatientLink,
    TeenInvitation,
)
from portal.mail import outbox
from portal.mail.models import OutboxMessage
from portal.reminders.models import ReminderSent


def _delete(db: Session, model: Any, where: sa.ColumnElement[bool], count_only: bool) -> int:
    if count_only:
        return db.scalar(sa.select(sa.func.count()).select_from(model).where(where)) or 0
    result = db.execute(
        sa.delete(model).where(where), execution_options={"synchronize_session": False}
    )
    return result.rowcount or 0  # type: ignore[attr-defined]


def purge_sent_mail(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Messages sent (or given up on) longer than `period` ago; unsent ones always stay."""
    if not count_only:
        return outbox.purge(db, now=now, retention=period)
    return _delete(db, OutboxMessage, outbox.purged_rows(now - period), count_only)


def purge_link_attempts(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Link attempts older than `period` (the lock-out only looks back a day)."""
    return _delete(db, LinkAttempt, LinkAttempt.at < now - period, count_only)


def purge_sessions(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Sessions begun longer than `period` ago: give a period no shorter than the session
    lifetime, and each of them has ended (signed out, idle, or out of its lifetime)."""
    return _delete(db, UserSession, UserSession.created_at < now - period, count_only)


def purge_link_challenges(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Automatic-match codes that expired longer than `period` ago (used ones included)."""
    return _delete(db, LinkChallenge, LinkChallenge.expires_at < now - period, count_only)


def purge_access_codes(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Printed access codes that expired longer than `period` ago (used, replaced or not)."""
    return _delete(db, AccessCode, AccessCode.expires_at < now - period, count_only)


def purge_teen_invitations(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Teen invitations that expired longer than `period` ago (used, replaced or not)."""
    return _delete(db, TeenInvitation, TeenInvitation.expires_at < now - period, count_only)


def purge_reminder_markers(
    db: Session, *, now: datetime, period: timedelta, count_only: bool = False
) -> int:
    """Reminders-sent markers of links unlinked longer than `period` ago: no reminder goes
    to an ended link, and a new link is a new row with markers of its own."""
    ended = sa.select(PatientLink.id).where(PatientLink.unlinked_at < now - period)
    return _delete(db, ReminderSent, ReminderSent.link_id.in_(ended), count_only)
