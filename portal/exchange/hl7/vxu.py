"""A VXU (and a QBP's query) read into typed dataclasses, for a later step to match and store.

Reading never raises: a value that is not there is "" or None, a date that is not a
date is None (validate reports it). Codes are kept as sent; the vaccine's CVX is
resolved (CVX coding, or an NDC we can map).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import tables
from .message import Message, Segment, parse_date
from .validate import resolve_cvx


@dataclass(frozen=True, slots=True)
class Identifier:
    """CX: PID-3, QPD-3."""

    id: str
    authority: str  # CX.4.1, e.g. the sending organization's code or the registry's
    type_code: str  # CX.5: MR, SR (state registry id), ...


@dataclass(frozen=True, slots=True)
class Name:
    family: str
    given: str
    middle: str
    suffix: str
    type_code: str  # XPN.7: L legal, A alias, M maiden ...


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    other: str
    city: str
    state: str
    zip: str
    country: str
    type_code: str  # XAD.7: P permanent, M mailing, H home ...


@dataclass(frozen=True, slots=True)
class Phone:
    use: str  # XTN.2: PRN primary residence, NET email ...
    equipment: str  # XTN.3: PH, CP, Internet ...
    email: str  # XTN.4
    area: str  # XTN.6
    local: str  # XTN.7

    @property
    def number(self) -> str:
        return f"{self.area}{self.local}"


@dataclass(frozen=True, slots=True)
class Guardian:
    """NK1: a parent, guardian or other responsible person."""

    names: tuple[Name, ...]
    relationship: str  # HL7 0063: MTH, FTH, GRD ...
    addresses: tuple[Address, ...]
    phones: tuple[Phone, ...]

    @property
    def is_guardian(self) -> bool:
        return self.relationship in tables.GUARDIAN_RELATIONSHIPS


@dataclass(frozen=True, slots=True)
class Observation:
    """OBX under a dose: funding, eligibility, VIS ..."""

    code: str  # OBX-3.1, LOINC
    value: str  # OBX-5.1
    sub_id: str  # OBX-4: groups a VIS document with its dates


@dataclass(frozen=True, slots=True)
class Dose:
    """One RXA with its ORC, RXR and OBX."""

    sequence: int  # which RXA in the message (1, 2 ...), as ERR-2 counts
    given_on: date | None  # RXA-3
    cvx: str | None  # resolved; None when not recognized
    code: str  # RXA-5.1 as sent (a CVX or an NDC)
    code_system: str  # RXA-5.3
    amount: str  # RXA-6 (999: unknown)
    units: str  # RXA-7.1
    information_source: str  # RXA-9.1 (NIP001): 00 new record, 01..08 historical
    administering_facility: str  # RXA-11.4
    lot_numbers: tuple[str, ...]  # RXA-15
    expires_on: date | None  # RXA-16 (first)
    mvx: str  # RXA-17.1
    refusal_reason: str  # RXA-18.1 (NIP002), with completion RE
    completion: str  # RXA-20: CP, RE (refused), NA (not administered), PA (partial)
    action: str  # RXA-21: A add, U update, D delete
    filler_order: str  # ORC-3.1: the sender's id of this dose, for updates and deletes
    placer_order: str  # ORC-2.1
    route: str  # RXR-1.1
    site: str  # RXR-2.1
    observations: tuple[Observation, ...]

    @property
    def historical(self) -> bool:
        return self.information_source not in ("", "00")

    @property
    def refused(self) -> bool:
        return self.completion == "RE"

    @property
    def administered(self) -> bool:
        return self.completion in ("", "CP", "PA")


@dataclass(frozen=True, slots=True)
class Vxu:
    control_id: str
    sending_facility: str  # MSH-4.1
    sending_organization: str  # MSH-22.1
    identifiers: tuple[Identifier, ...]
    names: tuple[Name, ...]
    mother_maiden_name: str  # PID-6.1
    birth_date: date | None
    sex: str  # PID-8 (HL7 0001)
    races: tuple[str, ...]
    ethnicity: str
    addresses: tuple[Address, ...]
    phones: tuple[Phone, ...]
    multiple_birth: str  # PID-24 Y/N
    birth_order: str  # PID-25
    death_date: date | None  # PID-29
    death_indicator: str  # PID-30 Y/N
    publicity: str  # PD1-11 (HL7 0215)
    publicity_on: date | None  # PD1-18
    protection: str  # PD1-12: Y = the family chose not to share (locked), N, or ""
    protection_on: date | None  # PD1-13
    registry_status: str  # PD1-16 (HL7 0441)
    registry_status_on: date | None  # PD1-17
    guardians: tuple[Guardian, ...]
    doses: tuple[Dose, ...]

    @property
    def locked(self) -> bool | None:
        """PD1-12 read as the registry's sharing: True locked, False shared, None unsaid."""
        return {"Y": True, "N": False}.get(self.protection)


@dataclass(frozen=True, slots=True)
class Query:
    """QPD of a Z44 (or Z34) query and RCP's count limit."""

    query_name: str  # QPD-1.1
    tag: str  # QPD-2
    identifiers: tuple[Identifier, ...]
    name: Name | None
    mother_maiden_name: str
    birth_date: date | None
    sex: str
    address: Address | None
    phone: Phone | None
    multiple_birth: str
    birth_order: str
    limit: int | None  # RCP-2.1


def _identifiers(m: Message, seg: Segment, field: int) -> tuple[Identifier, ...]:
    out = []
    for rep in m.tree(seg, field):
        c = _pad(rep, 5)
        if c[0][0]:
            out.append(Identifier(c[0][0], c[3][0], c[4][0]))
    return tuple(out)


def _each(m: Message, seg: Segment | None, field: int, comp: int) -> tuple[str, ...]:
    """A component of every repetition of a field, the empty ones left out."""
    if seg is None:
        return ()
    values = (m.value(seg, field, rep, comp) for rep in range(1, m.repetitions(seg, field) + 1))
    return tuple(x for x in values if x)


def _pad(rep: list[list[str]], n: int) -> list[list[str]]:
    return rep + [[""]] * (n - len(rep))


def _names(m: Message, seg: Segment, field: int) -> tuple[Name, ...]:
    out = []
    for rep in m.tree(seg, field):
        c = _pad(rep, 7)
        if c[0][0] or c[1][0]:
            out.append(Name(c[0][0], c[1][0], c[2][0], c[3][0], c[6][0]))
    return tuple(out)


def _addresses(m: Message, seg: Segment, field: int) -> tuple[Address, ...]:
    out = []
    for rep in m.tree(seg, field):
        c = _pad(rep, 7)
        if any(x[0] for x in c):
            out.append(Address(*(c[i][0] for i in range(7))))
    return tuple(out)


def _phones(m: Message, seg: Segment, field: int) -> tuple[Phone, ...]:
    out = []
    for rep in m.tree(seg, field):
        c = _pad(rep, 7)
        if any(x[0] for x in c):
            out.append(Phone(c[1][0], c[2][0], c[3][0], c[5][0], c[6][0]))
    return tuple(out)


def read_vxu(m: Message) -> Vxu:
    pid, pd1 = m.first("PID"), m.first("PD1")
    v = m.value
    doses = []
    order: Segment | None = None
    # (ORC, RXA, its RXRs, its OBXs) in message order; an RXA without an ORC has None.
    parts: list[tuple[Segment | None, Segment, list[Segment], list[Segment]]] = []
    for seg in m.segments:
        if seg.name == "ORC":
            order = seg
        elif seg.name == "RXA":
            parts.append((order, seg, [], []))
            order = None
        elif seg.name == "RXR" and parts:
            parts[-1][2].append(seg)
        elif seg.name == "OBX" and parts:
            parts[-1][3].append(seg)
    for orc, rxa, rxrs, obxs in parts:
        rxr = rxrs[0] if rxrs else None
        doses.append(Dose(
            sequence=rxa.sequence, given_on=parse_date(v(rxa, 3)), cvx=resolve_cvx(m, rxa),
            code=v(rxa, 5, 1, 1), code_system=v(rxa, 5, 1, 3), amount=v(rxa, 6),
            units=v(rxa, 7, 1, 1), information_source=v(rxa, 9, 1, 1),
            administering_facility=v(rxa, 11, 1, 4),
            lot_numbers=_each(m, rxa, 15, 1),
            expires_on=parse_date(v(rxa, 16)), mvx=v(rxa, 17, 1, 1),
            refusal_reason=v(rxa, 18, 1, 1), completion=v(rxa, 20), action=v(rxa, 21),
            filler_order=v(orc, 3, 1, 1), placer_order=v(orc, 2, 1, 1),
            route=v(rxr, 1, 1, 1), site=v(rxr, 2, 1, 1),
            observations=tuple(Observation(v(o, 3, 1, 1), v(o, 5, 1, 1), v(o, 4)) for o in obxs),
        ))  # fmt: skip
    guardians = tuple(
        Guardian(_names(m, nk1, 2), v(nk1, 3, 1, 1), _addresses(m, nk1, 4), _phones(m, nk1, 5))
        for nk1 in m.named("NK1")
    )
    empty: tuple = ()
    return Vxu(
        control_id=m.header.control_id, sending_facility=m.header.sending_facility,
        sending_organization=m.header.sending_organization,
        identifiers=_identifiers(m, pid, 3) if pid else empty,
        names=_names(m, pid, 5) if pid else empty,
        mother_maiden_name=v(pid, 6, 1, 1), birth_date=parse_date(v(pid, 7)), sex=v(pid, 8),
        races=_each(m, pid, 10, 1),
        ethnicity=v(pid, 22, 1, 1),
        addresses=_addresses(m, pid, 11) if pid else empty,
        phones=_phones(m, pid, 13) if pid else empty,
        multiple_birth=v(pid, 24), birth_order=v(pid, 25),
        death_date=parse_date(v(pid, 29)), death_indicator=v(pid, 30),
        publicity=v(pd1, 11, 1, 1), publicity_on=parse_date(v(pd1, 18)),
        protection=v(pd1, 12), protection_on=parse_date(v(pd1, 13)),
        registry_status=v(pd1, 16), registry_status_on=parse_date(v(pd1, 17)),
        guardians=guardians, doses=tuple(doses),
    )  # fmt: skip


def read_query(m: Message) -> Query:
    qpd, rcp = m.first("QPD"), m.first("RCP")
    v = m.value
    names = _names(m, qpd, 4) if qpd else ()
    addresses = _addresses(m, qpd, 8) if qpd else ()
    phones = _phones(m, qpd, 9) if qpd else ()
    limit_text = v(rcp, 2, 1, 1)
    return Query(
        query_name=v(qpd, 1, 1, 1), tag=v(qpd, 2),
        identifiers=_identifiers(m, qpd, 3) if qpd else (),
        name=names[0] if names else None, mother_maiden_name=v(qpd, 5, 1, 1),
        birth_date=parse_date(v(qpd, 6)), sex=v(qpd, 7),
        address=addresses[0] if addresses else None, phone=phones[0] if phones else None,
        multiple_birth=v(qpd, 10), birth_order=v(qpd, 11),
        limit=int(limit_text) if limit_text.isdigit() and len(limit_text) < 6 else None,
    )  # fmt: skip
