"""Queue a message in the current transaction; deliver queued messages after it commits."""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.orm import utcnow

from .models import Channel, OutboxMessage


def queue_email(db: Session, *, to: str, subject: str, body: str) -> OutboxMessage:
    message = OutboxMessage(channel=Channel.EMAIL, recipient=to, subject=subject, body=body)
    db.add(message)
    return message


def queue_sms(db: Session, *, to: str, body: str) -> OutboxMessage:
    """Text messages go through the same outbox; a gateway sender delivers them."""
    message = OutboxMessage(channel=Channel.SMS, recipient=to, subject="", body=body)
    db.add(message)
    return message


Sender = Callable[[OutboxMessage], None]


def smtp_sender(smtp_url: str, mail_from: str) -> Sender:
    parts = urlsplit(smtp_url)

    def send(message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with smtp_class(parts.hostname or "localhost", parts.port or 0, timeout=20) as smtp:
            if parts.scheme == "smtp+starttls":
                smtp.starttls()
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(email)

    return send


def deliver_pending(db: Session, senders: dict[Channel, Sender], *, limit: int = 100) -> int:
    """Send what is queued for channels that have a sender. Returns how many were sent."""
    pending = db.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < 5)
        .where(OutboxMessage.channel.in_(list(senders)))
        .order_by(OutboxMessage.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for message in pending:
        message.attempts += 1
        try:
            senders[message.channel](message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = type(exc).__name__
            continue
        message.sent_at = utcnow()
        sent += 1
    return sent
