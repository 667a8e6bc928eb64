"""The whole first half of an exchange in one call: bytes -> parsed message and problems.

`check(data, today=...)` never raises: an unreadable message comes back with
`message=None` and the problem that makes it an AR (and `received`, the message as
far as it was read, when its MSH could be read, for the answer to echo). `acknowledge`
is check and build_ack together, for a transport that has nothing to store (and for
the fuzz test).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .build import REGISTRY, Sender, build_ack
from .message import Message, Unreadable, parse
from .problems import Problem, verdict
from .validate import unreadable_problem, validate


@dataclass(frozen=True, slots=True)
class Checked:
    message: Message | None  # None: nothing of it may be processed (an AR)
    problems: tuple[Problem, ...]
    received: Message | None = None  # what the answer echoes: also a refused header

    @property
    def verdict(self) -> str:
        return "AR" if self.message is None else verdict(list(self.problems))


def check(data: bytes | str, *, today: date) -> Checked:
    try:
        message = parse(data)
    except Unreadable as exc:
        return Checked(None, (unreadable_problem(exc),), exc.message)
    problems = tuple(validate(message, today=today))
    if any(p.rejects for p in problems):
        return Checked(None, problems, message)
    return Checked(message, problems, message)


def acknowledge(data: bytes | str, *, control_id: str, now: datetime,
                sender: Sender = REGISTRY) -> bytes:  # fmt: skip
    checked = check(data, today=now.date())
    return build_ack(checked.received, checked.problems, control_id=control_id, now=now,
                     sender=sender)  # fmt: skip
