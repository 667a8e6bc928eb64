"""Opting in and out, and the daily run that queues the reminders through the outbox."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from flask import g
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.forecast.status import Stage, record_status
from portal.linking.models import PatientLink
from portal.linking.services import cdsi_gender
from portal.mail.outbox import queue_email
from portal.registry import Immunization, Patient

from .models import ReminderOptIn, ReminderSent
from .rules import Key, to_send


def set_opt_in(db: Session, link_id: int, wanted: bool) -> None:
    opt_in = db.scalar(sa.select(ReminderOptIn).where(ReminderOptIn.link_id == link_id))
    if wanted and opt_in is None:
        db.add(ReminderOptIn(link_id=link_id))
    elif not wanted and opt_in is not None:
        db.delete(opt_in)
    db.flush()


def reminder_email(overdue: bool) -> tuple[str, str]:
    """Subject and body in the current language: no name, no vaccine, no date (a shared
    inbox or a lock screen shows no health details)."""
    if overdue:
        subject = _("A shot is overdue")
        first = _("A shot is overdue on a record you follow at the Immunization Registry.")
    else:
        subject = _("A shot is due")
        first = _("A shot is due on a record you follow at the Immunization Registry.")
    body = "\n\n".join([
        _("Hello,"),
        first,
        _("Sign in to the Immunization Registry portal to see which."),
        _("You get this email because you asked for reminders. To stop them, open the "
          "record in the portal and choose to stop reminders."),
    ])  # fmt: skip
    return subject, body


def send_reminders(db: Session, today: date, default_locale: str = "en") -> int:
    """Queue today's reminders; returns how many emails were queued. Each linked record
    opted in gets at most one email per run, however many groups moved; what it covered
    is remembered (ReminderSent), so a second run the same day queues nothing. On
    PostgreSQL the opt-ins are read FOR UPDATE SKIP LOCKED: a run at the same time as
    another leaves it the records it holds (tests/serving/test_two_servers.py)."""
    rows = db.execute(
        sa.select(PatientLink.id, User.email, User.locale, Patient.birth_date, Patient.sex,
                  Patient.id.label("patient_id"))
        .join(ReminderOptIn, ReminderOptIn.link_id == PatientLink.id)
        .join(User, User.id == PatientLink.user_id)
        .join(Patient, Patient.id == PatientLink.patient_id)
        .where(PatientLink.unlinked_at.is_(None), User.active.is_(True),
               User.email_confirmed_at.is_not(None),
               sa.or_(PatientLink.ends_on.is_(None), PatientLink.ends_on > today))
        .order_by(PatientLink.id)
        # Two runs at once (two cron hosts, a rerun): each opt-in is claimed by one of them;
        # the other skips it rather than waiting, then failing on uq_reminders_sent_once.
        .with_for_update(skip_locked=True, of=ReminderOptIn)
    ).all()  # fmt: skip
    if not rows:
        return 0
    doses: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for pid, cvx, given_on in db.execute(
        sa.select(Immunization.patient_id, Immunization.cvx_code, Immunization.given_on).where(
            Immunization.patient_id.in_({r.patient_id for r in rows}),
            Immunization.deleted.is_(False),
        )
    ):
        doses[pid].append((cvx, given_on))
    sent: dict[int, list[Key]] = defaultdict(list)
    for s in db.scalars(
        sa.select(ReminderSent).where(ReminderSent.link_id.in_([r.id for r in rows]))
    ):
        sent[s.link_id].append((s.vaccine_group, s.stage, s.dose_number, s.due_from))
    # flask-babel's force_locale does nothing while `g` is empty (`if not g`), as it is in a
    # command's fresh app context: give it something, or every email goes out in English.
    g.setdefault("portal_reminders", True)
    queued = 0
    for row in rows:
        status = record_status(row.birth_date, doses[row.patient_id], today, cdsi_gender(row.sex))
        new = to_send(status, sent[row.id])
        if not new:
            continue
        overdue = any(stage == Stage.OVERDUE.value for _group, stage, _n, _d in new)
        with force_locale(row.locale or default_locale):
            subject, body = reminder_email(overdue)
        queue_email(db, to=row.email, subject=subject, body=body)
        for group, stage, number, due_from in new:
            db.add(ReminderSent(link_id=row.id, vaccine_group=group, stage=stage,
                                dose_number=number, due_from=due_from, sent_on=today))  # fmt: skip
        queued += 1
    db.flush()
    return queued
