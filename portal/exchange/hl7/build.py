"""Answers as bytes: the ACK of profile Z23 and the RSP^K11 skeleton (Z42/Z32/Z31/Z33).

Pure functions of the parsed message (None when it could not be read), its problems,
a control id and a time. We always write the default delimiters, CR after every
segment, and ASCII only (escapes.encode), so any receiver reads the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from . import escapes
from .escapes import DEFAULT
from .message import Message, format_timestamp
from .problems import APPLICATION_ERRORS, HL7_ERRORS, Problem, verdict

# A field: text, or components (each text or a list of subcomponents); a list of
# those for repetitions is written with `Repeated`.
Component = str | Sequence[str]
FieldValue = str | Sequence[Component]

MAX_ERR = 100  # past this many problems, one last ERR says how many were left out
NAMESPACE = "CDCPHINVS"


@dataclass(frozen=True, slots=True)
class Repeated:
    values: tuple[FieldValue, ...]


@dataclass(frozen=True, slots=True)
class Sender:
    """Who the registry is in MSH-3, MSH-4 and MSH-22 of its answers."""

    application: str = "PORTAL"
    facility: str = "REGISTRY"
    organization: str = "REGISTRY"


REGISTRY = Sender()


def encode_field(value: FieldValue | Repeated) -> str:
    d = DEFAULT
    if isinstance(value, Repeated):
        return d.repetition.join(encode_field(v) for v in value.values)
    if isinstance(value, str):
        return escapes.encode(value)
    parts = []
    for comp in value:
        if isinstance(comp, str):
            parts.append(escapes.encode(comp))
        else:
            parts.append(d.subcomponent.join(escapes.encode(s) for s in comp))
    return d.component.join(parts).rstrip(d.component)


def segment(name: str, *fields: FieldValue | Repeated) -> str:
    """One segment's text (no terminator), trailing empty fields left off."""
    encoded = [encode_field(f) for f in fields]
    while encoded and encoded[-1] == "":
        encoded.pop()
    return DEFAULT.field.join([name, *encoded])


def msh_segment(*fields: FieldValue | Repeated) -> str:
    """MSH from MSH-3 on: MSH-1 and MSH-2 are the delimiters themselves, never escaped."""
    d = DEFAULT
    return f"MSH{d.field}{d.encoding_characters}{d.field}" + segment("", *fields)[1:]


def _echo(message: Message | None, field: int) -> list[list[str]]:
    """An incoming MSH field's first repetition as components, re-encoded in ours."""
    if message is None:
        return [[""]]
    msh = message.segments[0]
    return message.tree(msh, field)[0]


def _msh(message: Message | None, sender: Sender, *, message_type: Sequence[str],
         control_id: str, now: datetime, profile: str) -> str:  # fmt: skip
    header = message.header if message else None
    processing = header.processing_id[:1] if header else "P"
    processing = processing if processing in ("P", "T", "D") else "P"
    return msh_segment(
        sender.application, sender.facility,
        _echo(message, 3), _echo(message, 4), format_timestamp(now), "",
        list(message_type), control_id, processing, "2.5.1", "", "", "NE", "NE", "", "", "",
        "", [profile, NAMESPACE], sender.organization, _echo(message, 22),
    )  # fmt: skip


def err_segments(problems: Sequence[Problem]) -> list[str]:
    out = []
    for problem in problems[:MAX_ERR]:
        app = problem.application_code
        out.append(segment(
            "ERR", "", problem.location.erl() if problem.location else "",
            [str(problem.code), HL7_ERRORS.get(problem.code, ""), "HL70357"],
            problem.severity.value,
            [app, APPLICATION_ERRORS.get(app, ""), "HL70533"] if app else "",
            "", "", problem.text,
        ))  # fmt: skip
    if len(problems) > MAX_ERR:
        rest = len(problems) - MAX_ERR
        out.append(segment("ERR", "", "", ["207", HL7_ERRORS[207], "HL70357"], "I", "", "", "",
                           f"{rest} more problems not listed"))  # fmt: skip
    return out


def _join(segments: Sequence[str]) -> bytes:
    return ("\r".join(segments) + "\r").encode("ascii")


def build_ack(message: Message | None, problems: Sequence[Problem], *, control_id: str,
              now: datetime, sender: Sender = REGISTRY) -> bytes:  # fmt: skip
    """ACK^V04 (Z23): MSA AA, AE with one ERR per problem, or AR (a rejecting problem, or
    no message at all). `message` is what was received, as far as it could be read."""
    problems = list(problems)
    code = "AR" if message is None else verdict(problems)
    trigger = message.header.trigger_event if message else ""
    trigger = trigger if trigger.isalnum() and len(trigger) == 3 else "V04"
    msh = _msh(message, sender, message_type=["ACK", trigger, "ACK"], control_id=control_id,
               now=now, profile="Z23")  # fmt: skip
    their_id = message.header.control_id if message else ""
    return _join([msh, segment("MSA", code, their_id), *err_segments(problems)])


QUERY_STATUSES = frozenset({"OK", "NF", "TM", "AE", "AR"})


def build_rsp(message: Message, problems: Sequence[Problem], *, status: str, profile: str,
              control_id: str, now: datetime, body: Sequence[str] = (),
              sender: Sender = REGISTRY) -> bytes:  # fmt: skip
    """RSP^K11: MSH, MSA, ERR per problem, QAK (query tag, status), the QPD echoed, then
    `body` (segments built with `segment`: PID, PD1, NK1, ORC/RXA/RXR/OBX ...)."""
    if status not in QUERY_STATUSES:
        raise ValueError(f"QAK-2 must be one of {sorted(QUERY_STATUSES)}")
    problems = list(problems)
    msh = _msh(message, sender, message_type=["RSP", "K11", "RSP_K11"], control_id=control_id,
               now=now, profile=profile)  # fmt: skip
    qpd = message.first("QPD")
    echoed: list[FieldValue | Repeated] = []
    if qpd is not None:
        for number in range(1, message.field_count(qpd) + 1):
            reps = message.tree(qpd, number)
            echoed.append(Repeated(tuple(_components(r) for r in reps)))
    tag = message.value(qpd, 2) if qpd else ""
    query_name = _components(message.tree(qpd, 1)[0]) if qpd else ""
    ack_code = "AR" if any(p.rejects for p in problems) else ("AE" if status == "AE" else "AA")
    return _join([
        msh, segment("MSA", ack_code, message.header.control_id),
        *err_segments(problems), segment("QAK", tag, status, query_name),
        segment("QPD", *echoed), *body,
    ])  # fmt: skip


def _components(rep: list[list[str]]) -> list[Component]:
    return [sub[0] if len(sub) == 1 else sub for sub in rep]
