"""The Z42's evaluated history and forecast as the guide's OBX groups (CDC IG for
Immunization Messaging 1.5, RSP^K11 Z42). Plain functions of plain values, no Flask and no
database: the caller runs the forecast (portal.forecast) once and hands in its result.

- `evaluation_obx(evaluations)`: the OBX groups under one dose's RXA, one per vaccine group
  the dose counts for, each group sharing one OBX-4 sub-id: 30956-7 vaccine type (CVX),
  59779-9 schedule used, 59781-5 dose validity (Y/N), then 30973-2 dose number in series
  when valid or 30982-3 the reason when not.
- `forecast_segments(recommendations, ...)`: after the history, one ORC and an RXA of CVX
  998 "no vaccine administered" (RXA-20 NA), then per vaccine group 30956-7, 59779-9,
  59783-1 series status, 30973-2 dose number, 30981-5 earliest, 30980-7 recommended,
  59778-1 past-due and 59777-3 latest date (each when known; DT values YYYYMMDD), and an
  NTE under the first group's 59779-9 naming the schedule data in use ("CDC CDSi 4.64").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .build import Sender, segment
from .message import format_date

SCHEDULE = ["VXC16", "ACIP", "CDCPHINVS"]  # 59779-9: the ACIP schedule
SERIES_STATUS_SYSTEM = "99CDSI"  # 59783-1: CDSi's own words (local code system)

# CDSi's vaccine group -> the "unspecified formulation" CVX the guide's examples send
GROUP_CVX: dict[str, tuple[str, str]] = {
    "DTaP/Tdap/Td": ("107", "DTaP, unspecified formulation"),
    "Polio": ("89", "polio, unspecified formulation"),
    "HepB": ("45", "Hep B, unspecified formulation"),
    "Hib": ("17", "Hib, unspecified formulation"),
    "Pneumococcal": ("109", "pneumococcal, unspecified formulation"),
    "Rotavirus": ("122", "rotavirus, unspecified formulation"),
    "MMR": ("03", "MMR"),
    "Varicella": ("21", "varicella"),
    "HepA": ("85", "Hep A, unspecified formulation"),
    "Influenza": ("88", "influenza, unspecified formulation"),
    "HPV": ("137", "HPV, unspecified formulation"),
    "Meningococcal": ("108", "meningococcal ACWY, unspecified formulation"),
    "Meningococcal B": ("164", "meningococcal B, unspecified"),
    "Zoster": ("188", "zoster vaccine, unspecified formulation"),
    "COVID-19": ("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION"),
}


@dataclass(frozen=True, slots=True)
class DoseEvaluation:
    """One dose as one vaccine group counts it."""

    group: str  # CDSi's vaccine group name (a key of GROUP_CVX)
    valid: bool
    dose_number: int | None = None  # its place in the series, when valid
    reason: str | None = None  # CDSi's words, when not valid


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One vaccine group's forecast."""

    group: str
    status: str  # CDSi's series status: "Not complete", "Complete", "Immune", "Aged out" ...
    dose_number: int | None = None
    earliest: date | None = None
    recommended: date | None = None
    past_due: date | None = None
    latest: date | None = None


def _obx(number: int, value_type: str, code: str, name: str, sub_id: int,
         value: str | Sequence[str]) -> str:  # fmt: skip
    return segment("OBX", str(number), value_type, [code, name, "LN"], str(sub_id), value,
                   "", "", "", "", "", "F")  # fmt: skip


def _vaccine_type(group: str) -> list[str]:
    cvx, name = GROUP_CVX.get(group, ("", group))
    return [cvx, name, "CVX"] if cvx else ["", name]


def evaluation_obx(evaluations: Iterable[DoseEvaluation]) -> list[str]:
    """The OBX groups under one RXA (sub-ids 1, 2 ... one per vaccine group)."""
    out: list[str] = []
    for sub_id, ev in enumerate(evaluations, start=1):
        rows: list[tuple[str, str, str, str | Sequence[str]]] = [
            ("CE", "30956-7", "vaccine type", _vaccine_type(ev.group)),
            ("CE", "59779-9", "Immunization Schedule used", SCHEDULE),
            ("ID", "59781-5", "Dose validity", "Y" if ev.valid else "N"),
        ]
        if ev.valid and ev.dose_number:
            rows.append(("NM", "30973-2", "dose number in series", str(ev.dose_number)))
        if not ev.valid:
            rows.append(("ST", "30982-3", "Reason applied", ev.reason or "Not valid"))
        for value_type, code, name, value in rows:
            out.append(_obx(len(out) + 1, value_type, code, name, sub_id, value))
    return out


def forecast_segments(recommendations: Iterable[Recommendation], *, assessed_on: date,
                      schedule_version: str, sender: Sender) -> list[str]:  # fmt: skip
    """ORC, RXA 998 (RXA-20 NA) and the forecast's OBX groups, after the history."""
    day = format_date(assessed_on)
    # RXA-20 completion status: NA, not administered
    rxa = segment("RXA", "0", "1", day, day, ["998", "no vaccine administered", "CVX"], "999",
                  *[""] * 13, "NA")  # fmt: skip
    out = [segment("ORC", "RE", "", ["9999", sender.organization]), rxa]
    number = 0
    for sub_id, rec in enumerate(recommendations, start=1):
        rows: list[tuple[str, str, str, str | Sequence[str]]] = [
            ("CE", "30956-7", "vaccine type", _vaccine_type(rec.group)),
            ("CE", "59779-9", "Immunization Schedule used", SCHEDULE),
            ("CE", "59783-1", "Status in immunization series",
             [rec.status, rec.status, SERIES_STATUS_SYSTEM]),
        ]  # fmt: skip
        if rec.dose_number:
            rows.append(("NM", "30973-2", "dose number in series", str(rec.dose_number)))
        for value_type, code, name, when in (
            ("DT", "30981-5", "Earliest date to give", rec.earliest),
            ("DT", "30980-7", "Date vaccination due", rec.recommended),
            ("DT", "59778-1", "Date dose is overdue", rec.past_due),
            ("DT", "59777-3", "Latest date next dose may be given", rec.latest),
        ):
            if when is not None:
                rows.append((value_type, code, name, format_date(when)))
        for value_type, code, name, value in rows:
            number += 1
            out.append(_obx(number, value_type, code, name, sub_id, value))
            if number == 2:  # under the first 59779-9: which schedule data, which version
                out.append(segment("NTE", "1", "", f"CDC CDSi supporting data {schedule_version}"))
    return out


__all__ = [
    "GROUP_CVX",
    "SCHEDULE",
    "DoseEvaluation",
    "Recommendation",
    "evaluation_obx",
    "forecast_segments",
]
