"""A problem found in a message, as one ERR segment of the acknowledgement will carry it."""

from __future__ import annotations

from dataclasses import dataclass

from .rules import Severity

# HL7 table 0357, message error condition codes (v2.5.1).
HL7_ERRORS = {
    0: "Message accepted",
    100: "Segment sequence error",
    101: "Required field missing",
    102: "Data type error",
    103: "Table value not found",
    200: "Unsupported message type",
    201: "Unsupported event code",
    202: "Unsupported processing id",
    203: "Unsupported version id",
    204: "Unknown key identifier",
    205: "Duplicate key identifier",
    206: "Application record locked",
    207: "Application internal error",
}

# CDC table 0533, application error codes (ERR-5).
APPLICATION_ERRORS = {
    "1": "Illogical Date error",
    "2": "Invalid Date",
    "3": "Illogical Value error",
    "4": "Invalid value",
    "5": "Table value not found",
    "6": "Required observation missing",
}


@dataclass(frozen=True, slots=True)
class Location:
    """ERR-2 (ERL): segment id, its sequence among segments of that name, field,
    repetition, component."""

    segment: str
    sequence: int = 1
    field: int | None = None
    repetition: int = 1
    component: int | None = None

    @property
    def label(self) -> str:
        """ "PID-7", "RXA[2]-5.1": the place in words a person reads."""
        text = self.segment if self.sequence == 1 else f"{self.segment}[{self.sequence}]"
        if self.field is not None:
            text += f"-{self.field}"
            if self.component is not None:
                text += f".{self.component}"
        return text

    def erl(self) -> list[str]:
        parts = [self.segment, str(self.sequence)]
        if self.field is not None:
            parts += [str(self.field), str(self.repetition)]
            if self.component is not None:
                parts.append(str(self.component))
        return parts


@dataclass(frozen=True, slots=True)
class Problem:
    location: Location | None
    code: int  # HL7 table 0357
    severity: Severity
    text: str  # plain words, no patient data
    application_code: str | None = None  # CDC table 0533
    rejects: bool = False  # nothing of the message is processed (MSA AR)


def verdict(problems: list[Problem]) -> str:
    """MSA-1: AR when the message could not be processed, AE with any error or warning,
    else AA (informational notes alone do not make an error)."""
    if any(p.rejects for p in problems):
        return "AR"
    if any(p.severity in (Severity.ERROR, Severity.WARNING) for p in problems):
        return "AE"
    return "AA"
