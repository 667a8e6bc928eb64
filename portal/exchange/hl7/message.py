"""Bytes in, a parsed message out: segment terminators, character set, MSH, the tree.

The tree comes from the `hl7` package (python-hl7); this module decides what it is
given (one CR between segments, whatever the sender used; text decoded from the
bytes by MSH-18) and reads values out of it decoded (`escapes.decode`). Anything
that cannot be read as a message raises `Unreadable` with the HL7 table 0357 code
the acknowledgement carries (an AR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import hl7

from . import escapes
from .escapes import Delimiters

MAX_BYTES = 1_000_000  # a message larger than this is refused unread (the transport caps lower)
SUPPORTED_VERSIONS = frozenset({"2.5.1"})
PROCESSING_IDS = frozenset({"P", "T", "D"})
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{2}")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


class _Plain(list):
    """python-hl7's containers as plain lists: the tree we keep is read by position only,
    and building its own container objects was a third of the parse."""

    __slots__ = ()

    def __init__(
        self,
        sequence: list | None = None,
        esc: str | None = None,
        separators: str | None = None,
        factory: object = None,
    ) -> None:
        list.__init__(self, sequence or ())


class _Message(_Plain):
    __slots__ = ()


class _Segment(_Plain):
    __slots__ = ()


class _Field(_Plain):
    __slots__ = ()


class _Repetition(_Plain):
    __slots__ = ()


class _Component(_Plain):
    __slots__ = ()


class _Factory(hl7.Factory):
    # one class per level: python-hl7 tells the segment level (MSH's delimiters) by class
    create_message = _Message
    create_segment = _Segment
    create_field = _Field
    create_repetition = _Repetition
    create_component = _Component


class Unreadable(Exception):  # noqa: N818 - the word the guide uses for what gets an AR
    """The message cannot be processed at all: answered with MSA AR."""

    def __init__(self, code: int, text: str, *, field: int | None = None,
                 message: Message | None = None) -> None:  # fmt: skip
        super().__init__(text)
        self.code, self.text, self.field = code, text, field
        self.message = message  # set when MSH was read but refused: the answer echoes it


@dataclass(frozen=True, slots=True)
class Header:
    """MSH as the exchange needs it (decoded text; empty string when absent)."""

    delimiters: Delimiters
    sending_application: str
    sending_facility: str
    receiving_application: str
    receiving_facility: str
    sent_at: str  # MSH-7 as sent
    message_code: str  # MSH-9.1, e.g. VXU
    trigger_event: str  # MSH-9.2, e.g. V04
    message_structure: str  # MSH-9.3, e.g. VXU_V04
    control_id: str  # MSH-10
    processing_id: str  # MSH-11
    version: str  # MSH-12
    accept_ack_type: str  # MSH-15
    application_ack_type: str  # MSH-16
    character_set: str  # MSH-18
    profile: str  # MSH-21.1, e.g. Z22
    profile_namespace: str  # MSH-21.2, e.g. CDCPHINVS
    sending_organization: str  # MSH-22.1
    receiving_organization: str  # MSH-23.1

    @property
    def message_type(self) -> str:
        return f"{self.message_code}^{self.trigger_event}"


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    sequence: int  # 1 for the first segment of this name in the message, 2 for the next ...
    position: int  # 1-based place among all segments
    raw: list  # python-hl7's tree of the segment: fields > repetitions > components
    fields: tuple[str, ...]  # the wire text of each field, by field number (0: the name)


class Message:
    """A parsed message: its header and its segments, read by position."""

    def __init__(self, tree: list, header: Header, text: str, charset_guessed: bool):
        self.parsed = tree  # python-hl7's own tree
        self.header = header
        self.text = text  # the decoded text, segments joined by CR
        self.charset_guessed = charset_guessed  # True when the bytes were not what MSH-18 said
        counts: dict[str, int] = {}
        segments: list[Segment] = []
        sep = header.delimiters.field
        for place, (raw, line) in enumerate(zip(tree, text.split("\r"), strict=True), start=1):
            name = line[:3]
            counts[name] = counts.get(name, 0) + 1
            fields = line.split(sep)
            if name == "MSH":  # MSH-1 is the separator itself
                fields.insert(1, sep)
            segments.append(Segment(name, counts[name], place, raw, tuple(fields)))
        self.segments: tuple[Segment, ...] = tuple(segments)

    @property
    def delimiters(self) -> Delimiters:
        return self.header.delimiters

    def named(self, name: str) -> list[Segment]:
        return [s for s in self.segments if s.name == name]

    def first(self, name: str) -> Segment | None:
        return next((s for s in self.segments if s.name == name), None)

    # -- reading values --------------------------------------------------------------

    def raw(self, segment: Segment, field: int, rep: int = 1, comp: int = 1, sub: int = 1) -> str:
        """The wire text at a position (1-based; 0 for rep, comp or sub means the whole).

        Read from the field texts of the segment rather than by walking python-hl7's
        containers: the same split, at a third of the cost (the fuzz test reads 10,000)."""
        text = self.field_text(segment, field)
        if not text or (segment.name == "MSH" and field in (1, 2)):
            return text
        d = self.delimiters
        for index, sep in ((rep, d.repetition), (comp, d.component), (sub, d.subcomponent)):
            if index == 0:
                return text
            if sep not in text:
                if index != 1:
                    return ""
                continue
            parts = text.split(sep)
            if index > len(parts):
                return ""
            text = parts[index - 1]
        return text

    def value(self, segment: Segment | None, field: int, rep: int = 1, comp: int = 1,
              sub: int = 1) -> str:  # fmt: skip
        """The decoded text at a position, "" when absent."""
        if segment is None:
            return ""
        return escapes.decode(self.raw(segment, field, rep, comp, sub), self.delimiters)

    def field_text(self, segment: Segment, field: int) -> str:
        """A whole field as sent (every repetition and component), for length checks."""
        return segment.fields[field] if 0 < field < len(segment.fields) else ""

    def tree(self, segment: Segment, field: int) -> list[list[list[str]]]:
        """A field decoded: repetitions of components of subcomponents."""
        d = self.delimiters
        whole = self.field_text(segment, field)
        return [
            [[escapes.decode(s, d) for s in c.split(d.subcomponent)] for c in r.split(d.component)]
            for r in whole.split(d.repetition)
        ]

    def repetitions(self, segment: Segment, field: int) -> int:
        """How many repetitions a field has (0 when empty)."""
        whole = self.field_text(segment, field)
        return 0 if whole == "" else whole.count(self.delimiters.repetition) + 1

    def field_count(self, segment: Segment) -> int:
        return max(len(segment.fields) - 1, 0)


def raw_value(seg: list, field: int, rep: int, comp: int, sub: int, d: Delimiters) -> str:
    """Walk python-hl7's nested lists (field > repetition > component > subcomponent, where
    a level without delimiters is a plain string); an index of 0 returns that level whole."""
    if field < 1 or field >= len(seg):
        return ""
    node = seg[field]
    if field in (1, 2) and "".join(map(str, seg[0])) == "MSH":
        return "".join(str(x) for x in node)  # the delimiters themselves, never split
    indices = (rep, comp, sub)
    for depth, index in enumerate(indices):
        if index == 0:
            return _joined(node, d, depth)
        if index > len(node):
            return ""
        child = node[index - 1]
        if isinstance(child, str):  # no delimiters below: the text is every deeper level's
            return child if all(i in (0, 1) for i in indices[depth + 1 :]) else ""
        node = child
    return _joined(node, d, 3)


def _joined(node: object, d: Delimiters, depth: int) -> str:
    if isinstance(node, str):
        return node
    sep = (d.repetition, d.component, d.subcomponent, d.subcomponent)[min(depth, 3)]
    return sep.join(_joined(child, d, depth + 1) for child in node)  # type: ignore[attr-defined]


# -- parsing -------------------------------------------------------------------------


def parse(data: bytes | str) -> Message:
    """Parse one message. Raises Unreadable (with its table 0357 code) for an AR."""
    if isinstance(data, str):
        text, guessed = data, False
    else:
        if len(data) > MAX_BYTES:
            raise Unreadable(207, "message too large")
        text, guessed = _decode_bytes(data)
    text = text.lstrip("\ufeff \t\r\n\x0b").rstrip("\x1c\r\n \t")  # MLLP framing, a BOM
    lines = [line for line in _LINE_BREAK.split(text) if line.strip()]
    if not lines or not lines[0].startswith("MSH"):
        raise Unreadable(100, "the message does not begin with an MSH segment")
    delimiters = _delimiters(lines[0])
    for line in lines[1:]:
        if not _SEGMENT_ID.fullmatch(line[:3]) or (len(line) > 3 and line[3] != delimiters.field):
            raise Unreadable(100, f"not a segment: {escapes.encode(line[:3])!r}")
    joined = "\r".join(lines)
    try:
        tree = hl7.parse(joined, factory=_Factory)
    except Exception as exc:  # noqa: BLE001 - any failure of the parser is an unreadable message
        raise Unreadable(100, f"the message could not be parsed ({type(exc).__name__})") from exc
    header = _header(tree, delimiters)
    message = Message(tree, header, joined, guessed)
    try:
        _check_header(header)
    except Unreadable as exc:
        exc.message = message
        raise
    return message


def _decode_bytes(data: bytes) -> tuple[str, bool]:
    """UTF-8 (ASCII's superset, the guide's default being ASCII); ISO 8859-1 when MSH-18
    says so, or when the bytes are not UTF-8 (then `charset_guessed`)."""
    head = data[:512].split(b"\r", 1)[0].split(b"\n", 1)[0]
    says_latin = b"8859/1" in head
    if says_latin:
        return data.decode("latin-1"), False
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


def _delimiters(msh: str) -> Delimiters:
    if len(msh) < 8:
        raise Unreadable(100, "MSH is too short to hold its delimiters", field=2)
    field_sep = msh[3]
    end = msh.find(field_sep, 4)
    chars = msh[4:end] if end > 0 else ""
    if len(chars) != 4 or len({field_sep, *chars}) != 5:
        raise Unreadable(100, "MSH-2 does not hold four distinct encoding characters", field=2)
    if any(c.isalnum() or c.isspace() for c in field_sep + chars):
        raise Unreadable(100, "the delimiters must not be letters, digits or spaces", field=2)
    return Delimiters(field_sep, chars[0], chars[1], chars[2], chars[3])


def _header(tree: list, d: Delimiters) -> Header:
    msh = tree[0]

    def v(field: int, comp: int = 1) -> str:
        return escapes.decode(raw_value(msh, field, 1, comp, 1, d), d)

    return Header(
        delimiters=d,
        sending_application=v(3), sending_facility=v(4),
        receiving_application=v(5), receiving_facility=v(6),
        sent_at=v(7), message_code=v(9, 1), trigger_event=v(9, 2), message_structure=v(9, 3),
        control_id=v(10), processing_id=v(11), version=v(12),
        accept_ack_type=v(15), application_ack_type=v(16), character_set=v(18),
        profile=v(21, 1), profile_namespace=v(21, 2),
        sending_organization=v(22), receiving_organization=v(23),
    )  # fmt: skip


def _check_header(h: Header) -> None:
    if not h.message_code:
        raise Unreadable(101, "MSH-9 (message type) is missing", field=9)
    if not h.control_id:
        raise Unreadable(101, "MSH-10 (message control id) is missing", field=10)
    if h.version not in SUPPORTED_VERSIONS:
        raise Unreadable(203, "Version ID not recognized - message rejected", field=12)
    if h.processing_id[:1] not in PROCESSING_IDS:
        raise Unreadable(202, "Processing ID not recognized - message rejected", field=11)


# -- HL7 dates -----------------------------------------------------------------------

_DTM = re.compile(r"(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d{1,4})?([+-]\d{4})?")


def parse_date(text: str) -> date | None:
    """The day of an HL7 DT/DTM/TS (YYYYMMDD[HHMM[SS[.S]]][+ZZZZ]); None unless a whole day."""
    match = _DTM.fullmatch(text.strip())
    if not match or not match.group(3):
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def format_date(value: date | None) -> str:
    """An HL7 DT: YYYYMMDD, or empty for no day."""
    return value.strftime("%Y%m%d") if value else ""


def format_timestamp(moment: datetime) -> str:
    """MSH-7 style: YYYYMMDDHHMMSS+ZZZZ (an aware datetime; naive is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # noqa: UP017
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return moment.strftime("%Y%m%d%H%M%S") + f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
