"""HL7 v2 delimiters and escape sequences (HL7 v2.5.1 chapter 2, 2.7).

`decode` turns a field's wire text into plain text; `encode` does the reverse, so
`decode(encode(text)) == text` for any text. On the wire we write only ASCII:
delimiters, the escape character, control characters and anything past ASCII go out
as escape sequences (\\F\\ \\S\\ \\T\\ \\R\\ \\E\\, and \\Xhh..\\ for the UTF-8 bytes of
the rest), so a receiver that assumes the default character set still reads it.
Decoding never raises: an escape it cannot read is kept as the text it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Delimiters:
    field: str = "|"
    component: str = "^"
    repetition: str = "~"
    escape: str = "\\"
    subcomponent: str = "&"

    @property
    def encoding_characters(self) -> str:
        """MSH-2 as it is written: component, repetition, escape, subcomponent."""
        return self.component + self.repetition + self.escape + self.subcomponent

    @property
    def all(self) -> str:
        return self.field + self.encoding_characters


DEFAULT = Delimiters()

_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})+")
# Plain text that needs no escaping: printable ASCII other than the delimiters.
_PRINTABLE = frozenset(chr(c) for c in range(0x20, 0x7F))
# printable ASCII without the default delimiters: written as it is (most of an answer)
_PLAIN_DEFAULT = re.compile(r"[ -%'-\[\]_-{}]*")


def decode(raw: str, delimiters: Delimiters = DEFAULT) -> str:
    """The plain text of a field, component or subcomponent as it came on the wire."""
    esc = delimiters.escape
    if not esc or esc not in raw:
        return raw
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch != esc:
            out.append(ch)
            i += 1
            continue
        end = raw.find(esc, i + 1)
        if end < 0:  # no closing escape character: keep the rest as it is
            out.append(raw[i:])
            break
        out.append(_sequence(raw[i + 1 : end], raw[i : end + 1], delimiters))
        i = end + 1
    return "".join(out)


def _sequence(body: str, whole: str, d: Delimiters) -> str:
    simple = {"F": d.field, "S": d.component, "T": d.subcomponent, "R": d.repetition}
    if body in simple:
        return simple[body]
    if body == "E":
        return d.escape
    if body in ("H", "N"):  # highlighting on and off: no plain-text meaning
        return ""
    if body.startswith("X") and _HEX.fullmatch(body[1:]):
        return bytes.fromhex(body[1:]).decode("utf-8", errors="replace")
    if body == ".br":
        return "\n"
    if body[:1] in ("Z", "C", "M") or body.startswith("."):
        return ""  # locally defined, character-set switches, formatting: dropped
    return whole  # not an escape we know (an empty one, a stray one): the text as sent


def encode(text: str, delimiters: Delimiters = DEFAULT) -> str:
    """The wire form of plain text, ASCII only."""
    d = delimiters
    if d == DEFAULT and _PLAIN_DEFAULT.fullmatch(text):
        return text
    special = {
        d.escape: f"{d.escape}E{d.escape}",
        d.field: f"{d.escape}F{d.escape}",
        d.component: f"{d.escape}S{d.escape}",
        d.subcomponent: f"{d.escape}T{d.escape}",
        d.repetition: f"{d.escape}R{d.escape}",
    }
    out: list[str] = []
    pending: list[str] = []  # characters written as one \X..\ run

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-8", errors="surrogatepass").hex().upper()
            out.append(f"{d.escape}X{data}{d.escape}")
            pending.clear()

    for ch in text:
        if ch in special:
            flush()
            out.append(special[ch])
        elif ch in _PRINTABLE:
            flush()
            out.append(ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)
