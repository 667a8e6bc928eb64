"""Mail leaves encrypted: smtp:// (no STARTTLS) is refused outside the demo unless allowed."""

from __future__ import annotations

import pytest

from portal import config
from portal.mail import senders
from portal.mail.models import Channel

PRODUCTION = {
    "DATABASE_URL": "postgresql+psycopg://portal@db/portal",
    "SECRET_KEY": "s" * 40,
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    "url", ["smtp://mailer:secret@mail.example:25", "SMTP://mail.example", "smtp://mail.example"]
)
def test_plain_smtp_is_refused_at_start_in_production(url: str) -> None:
    with pytest.raises(RuntimeError, match="PORTAL_SMTP_ALLOW_PLAIN"):
        config.check({**PRODUCTION, "SMTP_URL": url})


@pytest.mark.parametrize("url", ["smtp+starttls://mail.example:587", "smtps://mail.example:465"])
def test_encrypted_smtp_starts(url: str) -> None:
    config.check({**PRODUCTION, "SMTP_URL": url})


def test_plain_smtp_starts_when_allowed_on_purpose_or_in_the_demo() -> None:
    config.check({**PRODUCTION, "SMTP_URL": "smtp://localhost:25", "SMTP_ALLOW_PLAIN": True})
    config.check({**PRODUCTION, "SMTP_URL": "smtp://localhost:25", "DEMO": True})
    assert config.from_environment({"PORTAL_SMTP_ALLOW_PLAIN": "true"})["SMTP_ALLOW_PLAIN"] is True


def test_the_mail_worker_refuses_plain_smtp_too() -> None:
    production = {"SMTP_URL": "smtp://localhost:25", "MAIL_FROM": "x@example.org"}
    with pytest.raises(ValueError, match="STARTTLS"):
        senders.configured_senders(production)
    with pytest.raises(ValueError, match="STARTTLS"):
        senders.smtp_sender("smtp://localhost:25", "x@example.org")
    allowed = senders.configured_senders({**production, "SMTP_ALLOW_PLAIN": True})
    assert list(allowed) == [Channel.EMAIL]
    assert senders.smtp_sender("smtp://localhost:25", "x@example.org", allow_plain=True)
