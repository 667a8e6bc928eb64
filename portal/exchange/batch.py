"""`portal import-hl7`'s work, no Flask: files of messages split into messages, each
stored through submit.py in a transaction of its own, with the file's progress
(ImportProgress) written in that same transaction, and the answers counted.

A file holds messages one after another, each beginning at an MSH segment; segments
end in CR, LF or CR LF; batch envelopes (FHS, BHS, BTS, FTS) and blank lines are
skipped.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.registry import Organization

from . import submit as submit_module
from .hl7 import Problem, Severity, build_ack, check, parse
from .models import ImportProgress

ENVELOPE_SEGMENTS = ("FHS", "BHS", "BTS", "FTS")
UNSUPPORTED = "import-hl7 loads VXU^V04 messages only"


def split_messages(data: bytes) -> list[bytes]:
    """The messages of a file, each with CR segment terminators."""
    lines = data.replace(b"\r\n", b"\r").replace(b"\n", b"\r").split(b"\r")
    messages: list[list[bytes]] = []
    for line in lines:
        if not line.strip() or line[:3].decode("latin-1") in ENVELOPE_SEGMENTS:
            continue
        if line.startswith(b"MSH") or not messages:
            messages.append([])
        messages[-1].append(line)
    return [b"\r".join(segments) + b"\r" for segments in messages]


def digest(message: bytes) -> str:
    return hashlib.sha256(message).hexdigest()


class FileChanged(Exception):
    """The file's messages are not those an earlier run recorded as done."""


@dataclass
class Summary:
    accepted: int = 0
    warnings: int = 0  # accepted with warnings
    rejected: int = 0
    skipped: int = 0  # done by an earlier run
    codes: Counter[str] = field(default_factory=Counter)  # "ERR-3 code / CDC 0533 code"

    def count(self, ack: bytes) -> None:
        message = parse(ack)
        msa = message.value(message.first("MSA"), 1)
        severities = set()
        for err in message.named("ERR"):
            severity = message.value(err, 4)
            severities.add(severity)
            code = message.value(err, 3, 1, 1)
            application = message.value(err, 5, 1, 1)
            key = f"{code} {message.value(err, 3, 1, 2)}".strip()
            self.codes[f"{key} / {application}" if application else key] += 1
        if msa == "AR" or "E" in severities:
            self.rejected += 1
        elif severities & {"W", "I"}:
            self.warnings += 1
        else:
            self.accepted += 1

    def lines(self) -> list[str]:
        lines = [f"accepted: {self.accepted}", f"accepted with warnings: {self.warnings}",
                 f"rejected: {self.rejected}"]  # fmt: skip
        if self.skipped:
            lines.append(f"skipped (done before): {self.skipped}")
        lines += [f"  {code}: {n}" for code, n in sorted(self.codes.items())]
        return lines


def answer(session: Session, organization: Organization, message: bytes, now: datetime) -> bytes:
    control_id = secrets.token_hex(10)
    checked = check(message, today=now.date())
    if checked.message is not None and checked.message.header.message_type != "VXU^V04":
        problem = Problem(None, 200, Severity.ERROR, UNSUPPORTED, rejects=True)
        return build_ack(checked.received, [problem], control_id=control_id, now=now)
    return submit_module.submit(session, organization, checked, now=now, control_id=control_id)


def _progress(session: Session, organization_id: int, source: str) -> ImportProgress | None:
    return session.scalar(
        sa.select(ImportProgress).where(
            ImportProgress.organization_id == organization_id, ImportProgress.source == source
        )
    )


def resume_point(session: Session, organization_id: int, source: str,
                 messages: list[bytes]) -> ImportProgress | None:  # fmt: skip
    progress = _progress(session, organization_id, source)
    if progress is None:
        return None
    if progress.done > len(messages) or digest(messages[progress.done - 1]) != progress.last_hash:
        raise FileChanged(source)
    return progress


def import_file(
    transaction: Callable[[], AbstractContextManager[Session]],
    organization_id: int, source: str, messages: list[bytes], summary: Summary,
    *, now: Callable[[], datetime],
) -> Iterator[int]:  # fmt: skip
    """Store the messages not done yet, one transaction each; yields after each message
    (for a progress bar). `transaction()` opens one (committed when the block ends)."""
    with transaction() as session:
        progress = resume_point(session, organization_id, source, messages)
        start = progress.done if progress else 0
    summary.skipped += start
    if start:
        yield start
    for position in range(start, len(messages)):
        message = messages[position]
        with transaction() as session:
            organization = session.get_one(Organization, organization_id)
            ack = answer(session, organization, message, now())
            progress = _progress(session, organization_id, source)
            if progress is None:
                progress = ImportProgress(organization_id=organization_id, source=source,
                                          done=0, last_hash="")  # fmt: skip
                session.add(progress)
            progress.done, progress.last_hash = position + 1, digest(message)
            progress.updated_at = now()
            session.flush()
        summary.count(ack)
        yield 1
