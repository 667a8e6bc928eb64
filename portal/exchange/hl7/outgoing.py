"""Messages as an organization's system sends them: a VXU^V04 (profile Z22) and a
QBP^Q11 (profile Z44), built from plain dataclasses with build.segment, so they are
escaped and delimited as the registry's own answers are.

The registry never sends these; the demo (portal/demo/exchange.py) does, to build its
history through POST /exchange/hl7, as the bench and tests may. No Flask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from .build import Repeated, msh_segment, segment
from .message import format_date, format_timestamp

HISTORICAL_AMOUNT = "999"  # RXA-6 when the amount is not known (a historical dose)


@dataclass(frozen=True, slots=True)
class OutgoingDose:
    order_id: str  # ORC-3, the sender's own id of the dose (an update names it again)
    cvx: str
    given_on: date
    historical: bool = False
    mvx: str | None = None
    lot: str | None = None


@dataclass(frozen=True, slots=True)
class OutgoingPatient:
    """PID, PD1 and NK1 of a VXU: the sender's own id of the patient (PID-3, type MR)."""

    identifier: str
    first_name: str
    last_name: str
    birth_date: date
    sex: str  # F, M, U
    middle_name: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    phone: str | None = None  # digits: area code then number
    email: str | None = None
    guardian_given: str | None = None
    guardian_family: str | None = None
    guardian_relationship: str = "GRD"  # HL7 0063
    registry_id: str | None = None  # PID-3 type SR, when the sender knows it
    locked: bool | None = None  # PD1-12: True Y, False N, None left out
    locked_on: date | None = None  # PD1-13
    doses: Sequence[OutgoingDose] = field(default_factory=tuple)


def _msh(facility: str, message_type: list[str], control_id: str, now: datetime,
         profile: str) -> str:  # fmt: skip
    return msh_segment(
        "EHR", facility, "PORTAL", "REGISTRY", format_timestamp(now), "", message_type,
        control_id, "P", "2.5.1", "", "", "ER", "AL", "", "", "", "", [profile, "CDCPHINVS"],
        facility, "REGISTRY",
    )  # fmt: skip


def build_vxu(patient: OutgoingPatient, *, facility: str, control_id: str,
              now: datetime) -> bytes:  # fmt: skip
    """A VXU^V04 from `facility` (the sending organization's identifier), sent at `now`."""
    p = patient
    phones: list[list[str]] = []
    if p.phone and len(p.phone) == 10:
        phones.append(["", "PRN", "PH", "", "", p.phone[:3], p.phone[3:]])
    if p.email:
        phones.append(["", "NET", "Internet", p.email])
    ids: list[list[str]] = [[p.identifier, "", "", facility, "MR"]]
    if p.registry_id:
        ids.append([p.registry_id, "", "", "REGISTRY", "SR"])
    address = [p.street or "", "", p.city or "", p.state or "", p.zip or "", "USA", "P"]
    segments = [
        _msh(facility, ["VXU", "V04", "VXU_V04"], control_id, now, "Z22"),
        segment(
            "PID",
            "1",
            "",
            Repeated(tuple(ids)),
            "",
            [p.last_name, p.first_name, p.middle_name or "", "", "", "", "L"],
            "",
            format_date(p.birth_date),
            p.sex,
            "",
            "",
            address if p.street else "",
            "",
            Repeated(tuple(phones)) if phones else "",
        ),  # fmt: skip
    ]
    if p.locked is not None:
        segments.append(segment(
            "PD1", "", "", "", "", "", "", "", "", "", "", "", "Y" if p.locked else "N",
            format_date(p.locked_on),
        ))  # fmt: skip
    if p.guardian_family:
        segments.append(segment(
            "NK1", "1", [p.guardian_family, p.guardian_given or "", "", "", "", "", "L"],
            [p.guardian_relationship, "", "HL70063"],
        ))  # fmt: skip
    for dose in p.doses:
        segments.append(segment("ORC", "RE", "", [dose.order_id, facility]))
        if dose.historical:
            amount, unit, source, given_at = HISTORICAL_AMOUNT, "", ["01", "", "NIP001"], ""
        else:
            amount, unit, source = "0.5", ["mL", "mL", "UCUM"], ["00", "", "NIP001"]
            given_at = ["", "", "", facility]
        segments.append(segment(
            "RXA", "0", "1", format_date(dose.given_on), "", [dose.cvx, "", "CVX"], amount, unit,
            "", source, "", given_at, "", "", "", dose.lot or "", "",
            [dose.mvx, "", "MVX"] if dose.mvx else "", "", "", "CP", "A",
        ))  # fmt: skip
    return ("\r".join(segments) + "\r").encode("ascii")


def build_qbp(*, facility: str, first_name: str, last_name: str, birth_date: date, sex: str,
              control_id: str, now: datetime, registry_id: str = "") -> bytes:  # fmt: skip
    """A QBP^Q11 (Z44, evaluated history and forecast) for one patient."""
    identifier = [registry_id, "", "", "REGISTRY", "SR"] if registry_id else ""
    return ("\r".join([
        _msh(facility, ["QBP", "Q11", "QBP_Q11"], control_id, now, "Z44"),
        segment("QPD", ["Z44", "Request Evaluated History and Forecast", "CDCPHINVS"],
                control_id, identifier, [last_name, first_name, "", "", "", "", "L"], "",
                format_date(birth_date), sex),
        segment("RCP", "I", ["1", ["RD", "Records", "HL70126"]]),
    ]) + "\r").encode("ascii")  # fmt: skip
