"""What linking sends: codes and invitations, through the outbox (the demo mailbox shows it)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.mail.outbox import queue_email, queue_sms

from . import rules


def outbox_code_sender(db: Session, channel: str, recipient: str | None, code: str) -> None:
    """The CodeSender of the portal: email by the outbox, texts by the outbox's SMS channel.

    Without a recipient (nothing matched) the message is composed all the same, for equal
    work on both paths, and nothing is queued.
    """
    minutes = int(rules.OTP_LIFETIME.total_seconds() // 60)
    text = _(
        "Immunization Registry: your code is %(code)s. It works once, for %(minutes)d minutes. "
        "If you did not ask for it, you can ignore this message.",
        code=code,
        minutes=minutes,
    )
    subject = _("Your Immunization Registry code")
    if recipient is None:
        return
    if channel == "email":
        queue_email(db, to=recipient, subject=subject, body=text)
    else:
        queue_sms(db, to=recipient, body=text)


def send_invitation(db: Session, *, to: str, url: str, expires_at: datetime) -> None:
    body = _(
        "Hello,\n\n"
        "A parent or guardian has invited you to take over your own shot record at the "
        "state Immunization Registry.\n\n"
        "Sign in with your own account (or create one), then open this link and confirm "
        "your birth date:\n\n%(url)s\n\n"
        "The link works once and until %(date)s.\n\n"
        "If you were not expecting this, you can ignore this email.",
        url=url,
        date=format_date(expires_at, "long"),
    )
    queue_email(db, to=to, subject=_("Take over your shot record"), body=body)
