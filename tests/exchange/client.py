"""Posting messages to /exchange/hl7 in tests: an organization with a credential, the ACK read."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime

from portal.exchange.credentials import create_credential
from portal.exchange.hl7 import Message, parse

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def basic(username: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@dataclass
class Sender:
    org_id: int
    headers: dict[str, str]

    def post(self, client, message: str | bytes):  # type: ignore[no-untyped-def]
        return client.post("/exchange/hl7", data=message, headers=self.headers, csrf=False)

    def ack(self, client, message: str | bytes) -> Message:  # type: ignore[no-untyped-def]
        answer = self.post(client, message)
        assert answer.status_code == 200, answer.status_code
        assert answer.content_type.startswith("text/plain")
        return parse(answer.data)


def sender(db, make, **kw) -> Sender:  # type: ignore[no-untyped-def]
    org = make.org(**kw)
    issued = create_credential(db, org, now=NOW)
    db.commit()
    return Sender(org.id, basic(issued.username, issued.password))


def msa(ack: Message) -> str:
    return ack.value(ack.first("MSA"), 1)


def errors(ack: Message) -> list[tuple[str, str]]:
    """(ERR-3.1, ERR-4) of each ERR."""
    return [(ack.value(e, 3, 1, 1), ack.value(e, 4)) for e in ack.named("ERR")]
