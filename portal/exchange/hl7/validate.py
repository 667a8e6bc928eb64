"""validate(message, today=...) -> the problems of a parsed VXU or QBP, by our rule table.

Structure (segment order and count), each field's usage, value set, date and length
(rules.SEGMENT_RULES), and the guide's conditions across fields: a dose's vaccine code
(CVX, or an NDC we can map), its date against the birth date and today, a refusal's
reason, the protection indicator's date. Never raises on a parsed message.
"""

from __future__ import annotations

from datetime import date

from . import tables
from .message import Message, Segment, Unreadable, parse_date
from .problems import Location, Problem
from .rules import (
    MAX_FIELD,
    ONCE,
    ORDER_SEGMENTS,
    PROFILES,
    QBP_SEGMENTS,
    QUERY_NAMES,
    REQUIRED,
    SEGMENT_RULES,
    SUPPORTED_TYPES,
    VXU_SEGMENTS,
    FieldRule,
    Severity,
    Usage,
)

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def unreadable_problem(exc: Unreadable) -> Problem:
    where = Location("MSH", 1, exc.field, 1, 1) if exc.field is not None else None
    return Problem(where, exc.code, E, exc.text, rejects=True)


def validate(message: Message, *, today: date) -> list[Problem]:
    header = message.header
    kind = (header.message_code, header.trigger_event)
    if kind not in SUPPORTED_TYPES:
        known_code = any(code == header.message_code for code, _ in SUPPORTED_TYPES)
        code, text = (
            (201, "Event not supported") if known_code else (200, "Message type not supported")
        )
        return [Problem(Location("MSH", 1, 9), code, E, f"{text} - message rejected", rejects=True)]
    problems: list[Problem] = []
    if message.charset_guessed:
        problems.append(
            Problem(Location("MSH", 1, 18), 102, W, "Not UTF-8: the text was read as ISO 8859-1")
        )
    if header.profile and header.profile not in PROFILES[header.message_code]:
        problems.append(
            Problem(
                Location("MSH", 1, 21),
                103,
                W,
                f"Profile {header.profile} not expected: read as {SUPPORTED_TYPES[kind]}",
                "5",
            )
        )
    problems += _structure(message, header.message_code)
    for segment in message.segments:
        problems += _fields(message, segment)
    if header.message_code == "VXU":
        problems += _vxu(message, today)
    else:
        problems += _qbp(message, today)
    return problems


# -- structure -----------------------------------------------------------------------


def _structure(message: Message, code: str) -> list[Problem]:
    problems: list[Problem] = []
    expected = VXU_SEGMENTS + ORDER_SEGMENTS if code == "VXU" else QBP_SEGMENTS
    for name in REQUIRED[code]:
        if not message.named(name):
            problems.append(
                Problem(Location(name), 100, E, f"{name} segment missing - message rejected")
            )
    rank = {name: i for i, name in enumerate(expected)}
    highest = 0
    in_orders = False
    order_has_rxa = False
    for seg in message.segments:
        where = Location(seg.name, seg.sequence)
        if seg.name not in rank:
            problems.append(Problem(where, 100, W, f"Segment {seg.name} not expected: ignored"))
            continue
        if seg.name in ONCE and seg.sequence > 1:
            severity = E if seg.name in ("PID", "QPD") else W
            problems.append(Problem(where, 100, severity, f"Repeated {seg.name} segment: ignored"))
            continue
        if code == "VXU" and seg.name in ORDER_SEGMENTS:
            problems += _order_step(seg, where, in_orders, order_has_rxa)
            if seg.name == "ORC":
                order_has_rxa = False
            elif seg.name == "RXA":
                order_has_rxa = True
            in_orders = True
            continue
        if in_orders or rank[seg.name] < highest:
            severity = E if seg.name in ("PID", "QPD") else W
            problems.append(
                Problem(where, 100, severity, f"Segment {seg.name} out of order: ignored")
            )
            continue
        highest = rank[seg.name]
    return problems


def _order_step(seg: Segment, where: Location, in_orders: bool, has_rxa: bool) -> list[Problem]:
    if seg.name == "RXA" and has_rxa:
        return [Problem(where, 100, W, "RXA without its own ORC")]
    if seg.name in ("RXR", "OBX", "NTE", "TQ1", "TQ2") and not in_orders:
        return [Problem(where, 100, W, f"Segment {seg.name} outside an order: ignored")]
    if seg.name == "RXR" and not has_rxa:
        return [Problem(where, 100, W, "RXR before its RXA: ignored")]
    return []


# -- fields --------------------------------------------------------------------------


def _fields(message: Message, seg: Segment) -> list[Problem]:
    problems: list[Problem] = []
    for number in range(1, message.field_count(seg) + 1):
        if len(message.field_text(seg, number)) > MAX_FIELD:
            problems.append(
                Problem(
                    Location(seg.name, seg.sequence, number),
                    102,
                    W,
                    f"Field longer than {MAX_FIELD} characters: cut",
                )
            )
    for rule in SEGMENT_RULES.get(seg.name, ()):
        problems += _field(message, seg, rule)
    return problems


def _field(message: Message, seg: Segment, rule: FieldRule) -> list[Problem]:
    reps = message.repetitions(seg, rule.field)
    if seg.name == "MSH" and rule.field in (1, 2):
        return []
    where = Location(seg.name, seg.sequence, rule.field)
    if reps == 0 or not _present(message, seg, rule):
        if rule.usage is Usage.R:
            return [Problem(where, 101, rule.missing, f"{rule.name} missing")]
        return []
    if rule.usage is Usage.X:
        return []  # not supported: ignored without a word, as the guide allows
    problems: list[Problem] = []
    for rep in range(1, (reps if rule.repeats else 1) + 1):
        at = Location(seg.name, seg.sequence, rule.field, rep, rule.component)
        value = message.value(seg, rule.field, rep, rule.component)
        if value == "":
            continue
        if rule.table is not None and value not in rule.table:
            problems.append(
                Problem(
                    at,
                    103,
                    rule.unknown,
                    f"{rule.name} not recognized in {rule.table_name}"
                    + (": not saved" if rule.unknown is W else ""),
                    "5",
                )
            )
        if rule.date and parse_date(value) is None:
            severity = E if rule.usage is Usage.R else W
            problems.append(Problem(at, 102, severity, f"{rule.name} is not a valid date", "2"))
        if rule.length is not None and len(value) > rule.length:
            problems.append(
                Problem(at, 102, W, f"{rule.name} longer than {rule.length} characters: cut", "4")
            )
    return problems


def _present(message: Message, seg: Segment, rule: FieldRule) -> bool:
    if rule.table is None and not rule.date and rule.length is None:
        return message.field_text(seg, rule.field).strip(message.delimiters.all) != ""
    return any(
        message.value(seg, rule.field, rep, rule.component) != ""
        for rep in range(1, message.repetitions(seg, rule.field) + 1)
    )


# -- across fields -------------------------------------------------------------------


def _vxu(message: Message, today: date) -> list[Problem]:
    problems: list[Problem] = []
    pid = message.first("PID")
    birth = parse_date(message.value(pid, 7)) if pid else None
    if pid is not None and birth is not None and birth > today:
        problems.append(
            Problem(
                Location("PID", 1, 7), 102, E, "Birth date is in the future - message rejected", "1"
            )
        )
    pd1 = message.first("PD1")
    if pd1 is not None and message.value(pd1, 12) and not message.value(pd1, 13):
        # The guide asks for the date with the indicator; CDC/HIMSS's own test messages
        # leave it out, and the registry can date the change by the message: a note only.
        problems.append(
            Problem(Location("PD1", 1, 13), 101, INFO,
                    "Protection indicator effective date missing: the message date is used")
        )  # fmt: skip
    for rxa in message.named("RXA"):
        problems += _dose(message, rxa, birth, today)
    for obx in message.named("OBX"):
        problems += _observation(message, obx)
    return problems


def _dose(message: Message, rxa: Segment, birth: date | None, today: date) -> list[Problem]:
    problems: list[Problem] = []
    n = rxa.sequence
    if message.value(rxa, 5) and resolve_cvx(message, rxa) is None:
        problems.append(
            Problem(
                Location("RXA", n, 5, 1, 1),
                103,
                E,
                "Vaccine code not recognized - dose not recorded",
                "5",
            )
        )
    given = parse_date(message.value(rxa, 3))
    if given is not None and given > today:
        problems.append(
            Problem(
                Location("RXA", n, 3),
                102,
                E,
                "Administration date is in the future - dose not recorded",
                "1",
            )
        )
    elif given is not None and birth is not None and given < birth:
        problems.append(
            Problem(
                Location("RXA", n, 3),
                102,
                E,
                "Administration date is before birth - dose not recorded",
                "1",
            )
        )
    if message.value(rxa, 20) == "RE" and not message.value(rxa, 18):
        problems.append(Problem(Location("RXA", n, 18), 101, W, "Refusal reason missing"))
    return problems


def resolve_cvx(message: Message, rxa: Segment) -> str | None:
    """The CVX code of RXA-5: its CVX coding, or an NDC coding we can map."""
    found: str | None = None
    for code_at, system_at in ((1, 3), (4, 6)):
        code = message.value(rxa, 5, 1, code_at).strip()
        system = message.value(rxa, 5, 1, system_at).strip().upper()
        if not code:
            continue
        if system == "CVX" and tables.cvx_known(code):
            return code.zfill(2) if code.zfill(2) in tables.CVX else code
        if system == "NDC" and found is None:
            found = tables.cvx_for_ndc(code)
    return found


def _observation(message: Message, obx: Segment) -> list[Problem]:
    if message.value(obx, 3) != "64994-7":
        return []
    value = message.value(obx, 5)
    if value and value not in tables.VFC_ELIGIBILITY:
        where = Location("OBX", obx.sequence, 5, 1, 1)
        return [Problem(where, 103, W, "VFC eligibility not recognized in HL70064: not saved", "5")]
    return []


def _qbp(message: Message, today: date) -> list[Problem]:
    problems: list[Problem] = []
    qpd = message.first("QPD")
    if qpd is None:
        return problems
    name = message.value(qpd, 1)
    if name and name not in QUERY_NAMES:
        problems.append(
            Problem(
                Location("QPD", 1, 1, 1, 1),
                103,
                E,
                "Query name not supported - query rejected",
                "5",
            )
        )
    birth = parse_date(message.value(qpd, 6))
    if birth is not None and birth > today:
        problems.append(Problem(Location("QPD", 1, 6), 102, E, "Birth date is in the future", "1"))
    return problems
