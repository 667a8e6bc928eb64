"""Queue a message in the current transaction; deliver queued messages after it commits.

Writing the message in the same transaction as the change that causes it
means a rolled-back request sends nothing, and a committed one is never lost.
Delivery is at least once: a crash between sending and committing resends.

Bodies carry one-time codes, confirmation, reset and invitation links, and
personal details: once a message is sent (or given up on) its body is cleared,
keeping who it went to, when, its subject (the kind of message) and its status;
`purge` deletes those rows after the retention period (OUTBOX_RETENTION_DAYS).
The demo keeps its bodies: the demo mailbox is where its messages are read.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.orm import utcnow

from .models import Channel, OutboxMessage
from .senders import Sender, smtp_sender

__all__ = ["Sender", "deliver_pending", "purge", "queue_email", "queue_sms", "smtp_sender"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# Waits after each failure: 1, 2, 4 ... minutes, so an outage of a few hours is ridden out.
FIRST_RETRY = timedelta(minutes=1)


def queue_email(db: Session, *, to: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(channel=Channel.EMAIL, recipient=to, subject=subject, body=body)
    db.add(message)
    return message


def queue_sms(db: Session, *, to: str, body: str) -> OutboxMessage:
    """Text messages go through the same outbox; a gateway sender delivers them."""
    message = OutboxMessage(channel=Channel.SMS, recipient=to, subject="", body=body)
    db.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    return FIRST_RETRY * 2 ** max(attempts - 1, 0)


def deliver_pending(
    db: Session,
    senders: Mapping[Channel, Sender],
    *,
    now: datetime | None = None,
    limit: int = 100,
    clear_bodies: bool = True,
) -> int:
    """Send what is due for channels that have a sender. Returns how many were sent.

    A sent message's body is cleared (`clear_bodies=False` in the demo, whose mailbox
    shows them), and so is the body of one given up on.

    A failure is counted and retried later with a growing delay; after
    MAX_ATTEMPTS the message stays in the outbox with its last error for an
    operator. Logs name the message id and the error type, never the recipient,
    the subject or the body (they can carry personal details).
    """
    now = now or utcnow()
    if not senders:
        return 0
    pending = db.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .where(OutboxMessage.channel.in_(list(senders)))
        .where(
            sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # several workers never send the same row twice
    ).all()
    sent = 0
    for message in pending:
        message.attempts += 1
        try:
            senders[message.channel](message)
        except Exception as exc:  # any sender failure: keep going with the other messages
            message.last_error = type(exc).__name__
            message.next_attempt_at = now + retry_delay(message.attempts)
            if message.attempts >= MAX_ATTEMPTS and clear_bodies:
                message.body = ""  # its code or link has expired by now; nobody resends it
            log.warning(
                "outbox message %s not sent (attempt %s): %s",
                message.id,
                message.attempts,
                type(exc).__name__,
            )
            continue
        message.sent_at = now
        message.last_error = None
        message.next_attempt_at = None
        if clear_bodies:
            message.body = ""
        sent += 1
    db.flush()
    return sent


def purged_rows(cutoff: datetime) -> sa.ColumnElement[bool]:
    """Sent before `cutoff`, or given up on and queued before it; never one still waiting."""
    return sa.or_(
        OutboxMessage.sent_at < cutoff,
        sa.and_(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts >= MAX_ATTEMPTS,
            OutboxMessage.created_at < cutoff,
        ),
    )


def purge(db: Session, *, now: datetime, retention: timedelta) -> int:
    """Delete messages sent, or given up on, longer than `retention` ago. Returns how many."""
    result = db.execute(sa.delete(OutboxMessage).where(purged_rows(now - retention)))
    db.flush()
    return result.rowcount or 0
