"""The answer to an organization's query: QBP^Q11 (Z44, or Z34) in, RSP^K11 out. No Flask.

`answer_query(session, organization, message, now, control_id=...)` finds the records the
query's QPD describes, asks `registry.sharing.decide_for` about each, writes one access
event per candidate in the caller's transaction (flushed, never committed) and returns
the answer as bytes:

- one record the organization may open: Z42 (Z32 for a Z34 query), QAK OK: PID, PD1,
  NK1, then ORC/RXA per dose with its evaluation's OBX groups, then the forecast (ORC, RXA
  998, OBX groups per vaccine group; hl7/forecast.py), from one forecast run as of `now`
  (a Z32 is the history alone);
- several: Z31, QAK OK, one PID per candidate, when they are no more than the query's
  limit (RCP-2); more than that: Z33, QAK TM, no body;
- none: Z33, QAK NF, no body.

A record the organization may not open (locked by another owner, not disclosed, the
organization inactive) is left out *before* the answer is chosen, so the answer is the
one the query would get if that record did not exist: byte for byte a genuine no-match
when it was the only candidate (the control id and the time are inputs, as for any
answer); it counts for neither Z31 nor TM, and a refused registry id falls through to
the demographics as an unknown one does. The event says "refused" with the reason.
A query with an error (validate) is answered Z33 AE (AR when it cannot be processed)
and searches nothing.

Timing: a refused candidate costs one more INSERT (its event) than a genuine no-match:
about 2 to 10 ms with the commit here (bench: qbp_refused_minus_no_match_ms). The
transport (POST /exchange/hl7, built beside this) must hold every QBP answer to
`FLOOR_SECONDS` after the request began, whatever the outcome, waited out after the
commit: `answer_floor.hold_answer(FLOOR_SECONDS, started=...)`. Held so, the bench
measures no difference (qbp_floored_refused_minus_no_match_ms, with a sign test).

Fields: `Decision.fields` decides what a PID, PD1 and NK1 carry; a school, child care
or WIC gets no PID-11 (address), PID-13 (phone, email) or NK1-4/NK1-5 (the guardian's
address and phone).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal.exchange.hl7 import (
    Message,
    Query,
    Repeated,
    Severity,
    read_query,
    segment,
    validate,
)
from portal.exchange.hl7.build import REGISTRY, Sender, build_rsp
from portal.exchange.hl7.forecast import (
    DoseEvaluation,
    Recommendation,
    evaluation_obx,
    forecast_segments,
)
from portal.exchange.hl7.message import format_date
from portal.forecast.engine import forecast_all
from portal.forecast.model import Patient as ForecastPatient
from portal.forecast.model import VaccineGroupForecast
from portal.forecast.status import GROUPS
from portal.forecast.supporting import load as load_schedule
from portal.linking.rules import normalize_name
from portal.linking.services import cdsi_gender
from portal.registry import (
    AccessAction,
    AccessChannel,
    AccessOutcome,
    DoseKind,
    Immunization,
    Organization,
    Patient,
    Sex,
    record_access,
    vaccines,
)
from portal.registry.sharing import REASON_TOO_MANY, Decision, Field, decide_for
from portal.requests.sharing import local_day  # the registry's day, as the pages' forecast

FLOOR_SECONDS = 0.1  # every QBP answer leaves no sooner than this after the request began
DEFAULT_LIMIT = 10  # RCP-2 not sent: the most candidates a Z31 lists
MAX_LIMIT = 10  # RCP-2 asks for more: we list no more than this
MAX_SCANNED = 2000  # records of one birth date read to match names (a state's day of births)

SEX_CODES = {Sex.FEMALE: "F", Sex.MALE: "M", Sex.NONBINARY: "U", Sex.UNKNOWN: "U"}


@dataclass(frozen=True, slots=True)
class Candidate:
    patient: Patient
    decision: Decision


def answer_query(session: Session, organization: Organization, message: Message,
                 now: datetime, *, control_id: str | None = None,
                 sender: Sender = REGISTRY) -> bytes:  # fmt: skip
    """The RSP^K11 for this QBP^Q11 from this organization (see the module's words)."""
    control_id = control_id or secrets.token_hex(10)
    problems = validate(message, today=now.date())

    def answer(status: str, profile: str, body: Sequence[str] = ()) -> bytes:
        return build_rsp(message, problems, status=status, profile=profile,
                         control_id=control_id, now=now, body=body, sender=sender)  # fmt: skip

    if any(p.rejects for p in problems):
        return answer("AR", "Z33")
    if any(p.severity is Severity.ERROR for p in problems):
        return answer("AE", "Z33")
    query = read_query(message)
    allowed: list[Candidate] = []
    seen: set[int] = set()
    # The registry id first, then the demographics; a record that may not be opened is
    # logged and skipped, so a refused registry id falls through to the demographics as
    # an unknown one does.
    for stage in candidate_stages(session, query):
        for patient in stage:
            if patient.id in seen:
                continue
            seen.add(patient.id)
            decision = decide_for(organization, patient)
            if decision.allowed:
                allowed.append(Candidate(patient, decision))
            else:
                _log(session, organization, patient, AccessAction.QUERY, decision.reason, now)
        if allowed:
            break
    limit = min(query.limit or DEFAULT_LIMIT, MAX_LIMIT)
    if not allowed:
        session.flush()
        return answer("NF", "Z33")
    if len(allowed) > limit:
        for c in allowed:
            _log(session, organization, c.patient, AccessAction.QUERY, REASON_TOO_MANY, now)
        session.flush()
        return answer("TM", "Z33")
    if len(allowed) == 1:
        only = allowed[0]
        _log(session, organization, only.patient, AccessAction.QUERY, None, now)
        session.flush()
        profile = "Z42" if query.query_name == "Z44" else "Z32"
        body = record_segments(session, only.patient, only.decision, sender,
                               local_day(now) if profile == "Z42" else None)  # fmt: skip
        return answer("OK", profile, body)
    listed = []
    for number, c in enumerate(allowed, start=1):
        _log(session, organization, c.patient, AccessAction.MATCH, None, now)
        listed.append(pid_segment(c.patient, c.decision, number, sender))
    session.flush()
    return answer("OK", "Z31", listed)


def _log(session: Session, organization: Organization, patient: Patient,
         action: AccessAction, reason: str | None, now: datetime) -> None:  # fmt: skip
    record_access(
        session, patient, action=action, channel=AccessChannel.HL7,
        outcome=AccessOutcome.ALLOWED if reason is None else AccessOutcome.DENIED,
        organization=organization, reason=reason, occurred_at=now,
    )  # fmt: skip


# --- Matching -------------------------------------------------------------------------------


def candidate_stages(session: Session, query: Query) -> Iterator[list[Patient]]:
    """The records the query describes, in registry id order, in two stages: the next
    is read only when the one before gave nothing the organization may open.

    1. A registry id (QPD-3 of type SR) with the same birth date, when sent.
    2. The birth date (QPD-6) and the name (QPD-4): the family name compared as linking
       compares names (no accents, case, spaces, hyphens or apostrophes; one part of a
       compound family name is enough), the given name the same way or by its initial;
       a middle name or sex that contradicts the record's rules it out. Mother's maiden
       name, address and phone do not narrow the candidates: the registry does not hold
       the first, and a family that moved is still the same child.
    """
    ids = [i.id.strip() for i in query.identifiers if i.type_code.upper() == "SR" and i.id.strip()]
    if ids:
        statement = sa.select(Patient).where(Patient.registry_id.in_(ids[:5]))
        if query.birth_date is not None:
            statement = statement.where(Patient.birth_date == query.birth_date)
        yield list(session.scalars(statement.order_by(Patient.registry_id)))
    # An organization's own identifier (MR) is not kept by the registry yet (the submit
    # step stores PID-3 per organization); until then such a query matches on demographics.
    if query.birth_date is None or query.name is None or not normalize_name(query.name.family):
        return
    statement = (
        sa.select(Patient)
        .where(Patient.birth_date == query.birth_date)
        .order_by(Patient.registry_id)
        .limit(MAX_SCANNED)
    )
    yield [p for p in session.scalars(statement) if demographics_match(query, p)]


def _parts(name: str) -> set[str]:
    return {normalize_name(part) for part in name.replace("-", " ").split()} - {""}


def demographics_match(query: Query, patient: Patient) -> bool:
    """Whether the record may be the person the query describes (birth date checked by SQL)."""
    name = query.name
    if name is None:
        return False
    family = normalize_name(name.family)
    if family != normalize_name(patient.last_name) and not (
        _parts(name.family) & _parts(patient.last_name)
    ):
        return False
    if not _given_matches(name.given, patient.first_name):
        return False
    if name.middle and patient.middle_name and not _given_matches(name.middle, patient.middle_name):
        return False
    sent_sex = query.sex.strip().upper()
    if sent_sex in ("F", "M") and patient.sex in (Sex.FEMALE, Sex.MALE):
        return sent_sex == patient.sex.value
    return True


def _given_matches(sent: str, recorded: str | None) -> bool:
    """Equal as linking compares names, or one is the other's initial; unsent matches."""
    a, b = normalize_name(sent), normalize_name(recorded or "")
    if not a or not b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


# --- The record as segments ------------------------------------------------------------------


def _guardian_name(text: str | None) -> list[str]:
    """XPN from the one name the registry keeps: the last word as the family name."""
    words = (text or "").split()
    if not words:
        return []
    if len(words) == 1:
        return [words[0], "", "", "", "", "", "L"]
    return [words[-1], words[0], " ".join(words[1:-1]), "", "", "", "L"]


def _address(patient: Patient) -> list[str]:
    parts = [patient.address_street or "", "", patient.address_city or "",
             patient.address_state or "", patient.address_zip or ""]  # fmt: skip
    return [*parts, "USA", "P"] if any(parts) else []


def _phones(patient: Patient, decision: Decision) -> Repeated:
    values = []
    if decision.sees(Field.PHONE) and patient.phone:
        digits = "".join(c for c in patient.phone if c.isdigit())[-10:]
        if len(digits) == 10:
            values.append(["", "PRN", "PH", "", "", digits[:3], digits[3:]])
    if decision.sees(Field.EMAIL) and patient.email:
        values.append(["", "NET", "Internet", patient.email])
    return Repeated(tuple(values))


def pid_segment(patient: Patient, decision: Decision, number: int = 1,
                sender: Sender = REGISTRY) -> str:  # fmt: skip
    """PID with what the decision lets this organization see (no PID-11/PID-13 for a
    school, child care or WIC)."""
    sees_address = decision.sees(Field.ADDRESS)
    return segment(
        "PID", str(number), "",
        [patient.registry_id, "", "", sender.organization, "SR"], "",
        [patient.last_name, patient.first_name, patient.middle_name or "", "", "", "", "L"], "",
        format_date(patient.birth_date), SEX_CODES.get(patient.sex, "U"), "", "",
        _address(patient) if sees_address else "", "",
        _phones(patient, decision),
    )  # fmt: skip


def record_segments(session: Session, patient: Patient, decision: Decision,
                    sender: Sender = REGISTRY,
                    forecast_on: date | None = None) -> list[str]:  # fmt: skip
    """PID, PD1, NK1 and the doses (ORC/RXA) of one record: the body of a Z42 or Z32. With
    `forecast_on` (a Z42), each RXA has its evaluation's OBX groups and the forecast as of
    that day follows the history (ORC, RXA 998, OBX groups)."""
    out = [pid_segment(patient, decision, 1, sender)]
    out.append(segment(
        "PD1", *([""] * 10), "", "N" if patient.shared else "Y",
        format_date(patient.sharing_effective_on), "", "", patient.status.value,
    ))  # fmt: skip
    if decision.sees(Field.GUARDIAN_NAME) and _guardian_name(patient.guardian_name):
        # The registry keeps one guardian's name and no relationship: GRD, "guardian".
        # Its contact is the household's, the record's own address and phone, for health
        # care only (Field.GUARDIAN_CONTACT).
        contact = decision.sees(Field.GUARDIAN_CONTACT)
        out.append(segment(
            "NK1", "1", _guardian_name(patient.guardian_name), ["GRD", "Guardian", "HL70063"],
            _address(patient) if contact else "",
            _phones(patient, decision) if contact else "",
        ))  # fmt: skip
    if decision.sees(Field.DOSES):
        out.extend(_dose_segments(session, patient, sender, forecast_on))
    # RXR is left out because the registry keeps no route or site.
    return out


Evaluated = tuple[list[list[DoseEvaluation]], list[Recommendation], str]


def evaluated(patient: Patient, doses: Sequence[Immunization], today: date) -> Evaluated:
    """The forecast of these doses (one run of portal.forecast for the whole record) as the
    HL7 builder takes it: per dose, its evaluation per vaccine group; per registry vaccine
    group, the recommendation; and the schedule data's version."""
    data = load_schedule()
    forecasts = forecast_all(ForecastPatient(patient.birth_date, cdsi_gender(patient.sex)),
                             [(d.cvx_code, d.given_on) for d in doses], today, data)  # fmt: skip
    per_dose: list[list[DoseEvaluation]] = [[] for _ in doses]
    recommendations = []
    for group in GROUPS:  # the registry's groups, in its order
        forecast = forecasts.get(group)
        if forecast is None:
            continue
        for position, (status, reason) in sorted(forecast.evaluations.items()):
            if status not in ("Valid", "Not Valid") or position >= len(doses):
                continue
            valid = status == "Valid"
            number = _dose_number(forecast, position) if valid else None
            per_dose[position].append(DoseEvaluation(group, valid, number, reason))
        recommendations.append(Recommendation(
            group, forecast.status, forecast.dose_number, forecast.earliest,
            forecast.recommended, forecast.past_due, forecast.latest))  # fmt: skip
    return per_dose, recommendations, data.version


def _dose_number(forecast: VaccineGroupForecast, position: int) -> int | None:
    """The dose's place in the best series of the first antigen it is valid for."""
    for series in forecast.best.values():
        for d in series.doses:
            if d.dose.position == position and d.status == "Valid" and d.target is not None:
                return d.target + 1
    return None


def _dose_segments(session: Session, patient: Patient, sender: Sender,
                   forecast_on: date | None) -> Iterable[str]:  # fmt: skip
    doses = list(session.scalars(
        sa.select(Immunization)
        .options(joinedload(Immunization.administering_org))
        .where(Immunization.patient_id == patient.id, Immunization.deleted.is_(False))
        .order_by(Immunization.given_on, Immunization.id)
    ))  # fmt: skip
    per_dose: list[list[DoseEvaluation]] = [[] for _ in doses]
    if forecast_on is not None:
        per_dose, recommendations, version = evaluated(patient, doses, forecast_on)
    for dose, evaluations in zip(doses, per_dose, strict=True):
        vaccine = vaccines.lookup(dose.cvx_code)
        historical = dose.kind is DoseKind.HISTORICAL
        facility = dose.administering_org.identifier if dose.administering_org else ""
        yield segment("ORC", "RE", "", [str(dose.id), sender.organization])
        yield segment(
            "RXA", "0", "1", format_date(dose.given_on), format_date(dose.given_on),
            [dose.cvx_code, vaccine.cdc_name if vaccine else "", "CVX"], "999", "", "",
            ["01", "Historical information - source unspecified", "NIP001"] if historical
            else ["00", "New immunization record", "NIP001"],
            "", ["", "", "", facility] if facility else "", "", "", "", dose.lot_number or "",
            "", [dose.mvx_code, "", "MVX"] if dose.mvx_code else "", "", "", "CP", "A",
        )  # fmt: skip
        yield from evaluation_obx(evaluations)
    if forecast_on is not None:
        yield from forecast_segments(recommendations, assessed_on=forecast_on,
                                     schedule_version=version, sender=sender)  # fmt: skip


__all__ = [
    "DEFAULT_LIMIT",
    "FLOOR_SECONDS",
    "MAX_LIMIT",
    "REASON_TOO_MANY",
    "Candidate",
    "answer_query",
    "candidate_stages",
    "demographics_match",
    "pid_segment",
    "record_segments",
]
