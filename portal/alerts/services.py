"""Opting in and out, and the daily run that queues the access alerts through the outbox."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from flask import g
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.linking.models import PatientLink
from portal.mail.outbox import queue_email
from portal.registry import AccessEvent, Patient

from .models import AccessAlertOptIn
from .rules import may_send, opens_record_sql, window_end


def alerts_on(db: Session, link_id: int) -> bool:
    found = db.scalar(sa.select(AccessAlertOptIn.id).where(AccessAlertOptIn.link_id == link_id))
    return found is not None


def set_opt_in(db: Session, link_id: int, wanted: bool, now: datetime) -> None:
    """Yes starts from `now`: what happened before is not news."""
    opt_in = db.scalar(sa.select(AccessAlertOptIn).where(AccessAlertOptIn.link_id == link_id))
    if wanted and opt_in is None:
        db.add(AccessAlertOptIn(link_id=link_id, created_at=now, seen_through=now))
    elif not wanted and opt_in is not None:
        db.delete(opt_in)
    db.flush()


def alert_email() -> tuple[str, str]:
    """Subject and body in the current language: no name, no organization, no record."""
    subject = _("An organization looked at a record you follow")
    body = "\n\n".join([
        _("Hello,"),
        _("An organization other than the one that keeps the record looked at a record you "
          "follow at the Immunization Registry."),
        _("Sign in to the Immunization Registry portal and open “Who looked at this record” "
          "to see who it was and when."),
        _("You get this email, at most once a day, because you asked for it. To stop these "
          "emails, open “Who looked at this record” in the portal and choose to stop them."),
    ])  # fmt: skip
    return subject, body


def send_access_alerts(db: Session, now: datetime, today: date,
                       default_locale: str = "en") -> int:  # fmt: skip
    """Queue today's access alerts; returns how many emails were queued.

    One email per account at most per day, however many of its records were opened; each
    opt-in's stretch of the log moves on only when its account is emailed (an account
    already emailed today keeps its news for tomorrow). On PostgreSQL the opt-ins are read
    FOR UPDATE SKIP LOCKED, so a run beside another never handles the same opt-in twice."""
    end = window_end(now)
    rows = db.execute(
        sa.select(AccessAlertOptIn.id, AccessAlertOptIn.seen_through,
                  AccessAlertOptIn.last_sent_on, PatientLink.patient_id,
                  User.id.label("user_id"), User.email, User.locale)
        .join(PatientLink, PatientLink.id == AccessAlertOptIn.link_id)
        .join(User, User.id == PatientLink.user_id)
        .where(PatientLink.unlinked_at.is_(None), User.active.is_(True),
               User.email_confirmed_at.is_not(None),
               sa.or_(PatientLink.ends_on.is_(None), PatientLink.ends_on > today))
        .order_by(User.id, AccessAlertOptIn.id)
        # Two runs at once (cron on two machines) each take the opt-ins the other has not
        # locked: without it both emailed every account (tests/serving/test_two_servers.py).
        .with_for_update(skip_locked=True, of=AccessAlertOptIn)
    ).all()  # fmt: skip
    by_user: dict[int, list[sa.Row]] = defaultdict(list)  # type: ignore[type-arg]
    for row in rows:
        by_user[row.user_id].append(row)
    # flask-babel's force_locale does nothing while `g` is empty, as in a command's app context.
    g.setdefault("portal_access_alerts", True)
    queued = 0
    for user_rows in by_user.values():
        if not may_send([r.last_sent_on for r in user_rows], today):
            continue
        if not any(_news(db, r.patient_id, r.seen_through, end) for r in user_rows):
            continue
        first = user_rows[0]
        with force_locale(first.locale or default_locale):
            subject, body = alert_email()
        queue_email(db, to=first.email, subject=subject, body=body)
        db.execute(
            sa.update(AccessAlertOptIn)
            .where(AccessAlertOptIn.id.in_([r.id for r in user_rows]))
            .values(seen_through=end, last_sent_on=today)
        )
        queued += 1
    db.flush()
    return queued


def _news(db: Session, patient_id: int, after: datetime, through: datetime) -> bool:
    """An organization other than the owner opened the record in (after, through]."""
    return db.scalar(
        sa.select(sa.literal(True))
        .select_from(AccessEvent)
        .join(Patient, Patient.id == AccessEvent.patient_id)
        .where(AccessEvent.patient_id == patient_id, AccessEvent.occurred_at > after,
               AccessEvent.occurred_at <= through, opens_record_sql())
        .limit(1)
    ) is not None  # fmt: skip
