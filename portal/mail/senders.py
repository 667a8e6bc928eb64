"""How queued messages leave the portal: one sender per channel.

A sender takes one outbox row and delivers it, or raises. Email goes through
SMTP when PORTAL_SMTP_URL is set. Text messages need an SMS gateway: in
production, write a sender for the gateway (a function taking the message,
calling its API, raising on failure) and return it for Channel.SMS from
`configured_senders`. In the demo, texts are "delivered" to the demo mailbox.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from portal.config import plain_smtp_refused

from .models import Channel, OutboxMessage


class Sender(Protocol):
    def __call__(self, message: OutboxMessage) -> None:
        """Deliver the message or raise; never log its recipient or body."""


def smtp_sender(smtp_url: str, mail_from: str, *, allow_plain: bool = False) -> Sender:
    """smtp+starttls://user:pass@host:port, smtps://... (TLS from the start), or, only with
    `allow_plain`, smtp://... (no encryption at all)."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in {"smtp", "smtp+starttls", "smtps"}:
        raise ValueError("PORTAL_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
    if parts.scheme == "smtp" and not allow_plain:
        raise ValueError(
            "PORTAL_SMTP_URL is smtp:// without STARTTLS; use smtp+starttls:// or smtps://, "
            "or set PORTAL_SMTP_ALLOW_PLAIN=true"
        )

    def send(message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"] = mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2].strip("> ") or None)
        email.set_content(message.body)
        smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with smtp_class(parts.hostname or "localhost", parts.port or 0, timeout=20) as smtp:
            if parts.scheme == "smtp+starttls":
                smtp.starttls()
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(email)

    return send


def demo_sms_sender(message: OutboxMessage) -> None:
    """The demo has no gateway: a text counts as delivered once it is in the demo mailbox."""
    if message.channel != Channel.SMS:
        raise ValueError("the demo SMS sender only takes text messages")


def configured_senders(config: Mapping[str, Any]) -> dict[Channel, Sender]:
    """The senders this installation has; channels without one keep their messages queued."""
    senders: dict[Channel, Sender] = {}
    if config.get("SMTP_URL"):
        senders[Channel.EMAIL] = smtp_sender(
            config["SMTP_URL"], config["MAIL_FROM"], allow_plain=not plain_smtp_refused(config)
        )
    if config.get("DEMO"):
        senders[Channel.SMS] = demo_sms_sender
    return senders
