"""`portal purge`: each kind's row just past its period goes, one just inside stays."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import retention
from portal.accounts.models import UserSession
from portal.linking.models import (
    AccessCode,
    AttemptOutcome,
    LinkAttempt,
    LinkChallenge,
    LinkMethod,
    PatientLink,
    Relationship,
    TeenInvitation,
)
from portal.mail import outbox
from portal.mail.models import OutboxMessage
from portal.orm import utcnow
from portal.reminders.models import ReminderSent
from portal.retention_command import purge_command

MINUTE = timedelta(minutes=1)
PERIOD = timedelta(days=10)


def _count(db: Session, model: Any) -> int:
    return db.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _mail(db: Session, name: str, *, created: datetime, sent: datetime | None,
          attempts: int = 0) -> None:  # fmt: skip
    message = outbox.queue_email(db, to=f"{name}@example.org", subject=name, body="")
    message.created_at, message.sent_at, message.attempts = created, sent, attempts


def _rows(db: Session, make: Any, cutoff: datetime) -> None:
    """For each kind, one row a minute past `cutoff` (goes) and one a minute inside (stays)."""
    user, patient = make.user(), make.patient()
    link = make.link(user, patient)
    for n, at in enumerate((cutoff - MINUTE, cutoff + MINUTE)):
        _mail(db, f"sent{n}", created=at, sent=at)
        _mail(db, f"given-up{n}", created=at, sent=None, attempts=outbox.MAX_ATTEMPTS)
        db.add(LinkAttempt(user_id=user.id, at=at, method=LinkMethod.ACCESS_CODE,
                           outcome=AttemptOutcome.NO_MATCH))  # fmt: skip
        db.add(UserSession(id=f"{n:064d}", user_id=user.id, created_at=at, last_seen_at=at))
        db.add(LinkChallenge(token=f"t{n}", user_id=user.id, relationship_=Relationship.PARENT,
                             code_hash="h", created_at=at, expires_at=at))  # fmt: skip
        db.add(AccessCode(patient_id=patient.id, code_hash=f"c{n}", created_at=at, expires_at=at))
        db.add(TeenInvitation(token_hash=f"i{n}", link_id=link.id, email="t@example.org",
                              created_at=at, expires_at=at))  # fmt: skip
    # Reminder marks: of a link unlinked just past the cutoff (go), just inside, in force (stay).
    for unlinked in (cutoff - MINUTE, cutoff + MINUTE, None):
        ended = make.link(user, make.patient(), unlinked_at=unlinked)
        db.add(ReminderSent(link_id=ended.id, vaccine_group="MMR", stage="due", dose_number=1,
                            due_from=cutoff.date(), sent_on=cutoff.date()))  # fmt: skip
    # Waiting to be sent, however old: never purged.
    _mail(db, "waiting", created=cutoff - timedelta(days=400), sent=None, attempts=1)
    db.commit()


KINDS = [
    (retention.purge_link_attempts, LinkAttempt),
    (retention.purge_sessions, UserSession),
    (retention.purge_link_challenges, LinkChallenge),
    (retention.purge_access_codes, AccessCode),
    (retention.purge_teen_invitations, TeenInvitation),
    (retention.purge_reminder_markers, ReminderSent),
]


@pytest.mark.parametrize(("purge", "model"), KINDS, ids=lambda k: getattr(k, "__name__", ""))
def test_each_kind_purges_only_rows_past_its_period(db, make, purge, model) -> None:
    now = utcnow()
    _rows(db, make, now - PERIOD)
    rows = _count(db, model)
    assert purge(db, now=now, period=PERIOD, count_only=True) == 1
    assert _count(db, model) == rows  # counting deleted nothing
    assert purge(db, now=now, period=PERIOD) == 1
    db.commit()
    assert _count(db, model) == rows - 1
    assert purge(db, now=now, period=PERIOD) == 0


def test_sent_mail_goes_after_its_period_and_unsent_mail_stays(db, make) -> None:
    now = utcnow()
    _rows(db, make, now - PERIOD)
    assert retention.purge_sent_mail(db, now=now, period=PERIOD, count_only=True) == 2
    assert retention.purge_sent_mail(db, now=now, period=PERIOD) == 2
    db.commit()
    left = set(db.scalars(sa.select(OutboxMessage.subject)))
    assert left == {"sent1", "given-up1", "waiting"}
    assert retention.purge_sent_mail(db, now=now, period=PERIOD) == 0


def _invoke(app, *args: str) -> list[str]:
    result = app.test_cli_runner().invoke(purge_command, list(args))
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_portal_purge_applies_each_setting_and_a_second_run_purges_nothing(app, db, make) -> None:
    app.config.update(OUTBOX_RETENTION_DAYS=10, LINK_ATTEMPT_RETENTION_DAYS=10,
                      SESSION_RETENTION_DAYS=10, CODE_RETENTION_DAYS=10,
                      REMINDER_MARKER_RETENTION_DAYS=10)  # fmt: skip
    # The command reads the clock a moment after this: rows just inside stay by a minute.
    _rows(db, make, utcnow() - PERIOD)
    kinds = ["sent mail", "link attempts", "sessions", "link codes", "access codes",
             "teen invitations", "reminder markers"]  # fmt: skip
    counts = {"sent mail": 2}
    expected = [f"{kind}: {counts.get(kind, 1)} would be purged" for kind in kinds]
    assert _invoke(app, "--dry-run") == expected
    db.rollback()
    assert _count(db, OutboxMessage) == 5 and _count(db, UserSession) == 2
    assert _invoke(app) == [f"{kind}: {counts.get(kind, 1)} purged" for kind in kinds]
    assert _invoke(app) == [f"{kind}: 0 purged" for kind in kinds]
    db.rollback()
    for model in (LinkAttempt, UserSession, LinkChallenge, AccessCode, TeenInvitation):
        assert _count(db, model) == 1
    assert _count(db, OutboxMessage) == 3
    assert _count(db, ReminderSent) == 2


def test_a_session_period_shorter_than_the_lifetime_keeps_live_sessions(app, db, make) -> None:
    app.config.update(SESSION_RETENTION_DAYS=0, SESSION_LIFETIME_HOURS=12)
    user = make.user()
    now = utcnow()
    for n, hours in enumerate((11, 13)):
        at = now - timedelta(hours=hours)
        db.add(UserSession(id=f"{n:064d}", user_id=user.id, created_at=at, last_seen_at=at))
    db.commit()
    assert "sessions: 1 purged" in _invoke(app)
    db.rollback()
    assert _count(db, UserSession) == 1


def test_the_deletes_use_an_index_on_postgresql(db, make) -> None:
    if db.bind.dialect.name != "postgresql":
        pytest.skip("EXPLAIN's plan is PostgreSQL's")
    now = utcnow()
    ended = sa.select(PatientLink.id).where(PatientLink.unlinked_at < now)
    statements = [
        sa.delete(model).where(column < now)
        for model, column in ((LinkAttempt, LinkAttempt.at), (UserSession, UserSession.created_at),
                              (LinkChallenge, LinkChallenge.expires_at),
                              (AccessCode, AccessCode.expires_at),
                              (TeenInvitation, TeenInvitation.expires_at),
                              (OutboxMessage, OutboxMessage.sent_at))
    ] + [sa.delete(ReminderSent).where(ReminderSent.link_id.in_(ended))]  # fmt: skip
    for statement in statements:
        sql = statement.compile(db.bind, compile_kwargs={"literal_binds": True})
        db.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.scalars(sa.text(f"EXPLAIN {sql}")))
        assert "Index" in plan and "Seq Scan" not in plan, plan
    db.rollback()


def test_a_link_attempt_period_shorter_than_the_lock_out_keeps_what_it_reads(app, db, make):
    from portal.linking.rules import LOCKOUT_DURATION, LOCKOUT_WINDOW

    app.config["LINK_ATTEMPT_RETENTION_DAYS"] = 0
    user, now = make.user(), utcnow()
    reach = LOCKOUT_WINDOW + LOCKOUT_DURATION
    for at in (now - reach - MINUTE, now - reach + MINUTE):
        db.add(LinkAttempt(user_id=user.id, at=at, method=LinkMethod.ACCESS_CODE,
                           outcome=AttemptOutcome.WRONG_CODE))  # fmt: skip
    db.commit()
    assert "link attempts: 1 purged" in _invoke(app)
    db.rollback()
    assert _count(db, LinkAttempt) == 1
