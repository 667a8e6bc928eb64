"""A VXU^V04 (profile Z22) stored (sent by a health care provider: a school's, child care's
or WIC's system is answered AR): the patient matched or created, doses, refusals,
sharing and registry status written, an access event, and the Z23 ACK as bytes.

No Flask: a session, the sending organization, the checked message and the time in;
the ACK out. Everything the message writes is written inside one SAVEPOINT, so a
failure anywhere (a database error, a bug) leaves nothing of the message behind and
is answered AE "application internal error" rather than a 500.

Matching, in order: a registry id in PID-3 (identifier type SR, or any id equal to
one); the sending organization's own id of the patient (any other PID-3 identifier,
kept in patient_identifiers); then demographics, the same tolerant comparison as
linking (portal/linking/rules.py names_match: no accents, case, spaces, hyphens or
apostrophes) with the same birth date. When none matches, a new record owned by the
sender is created. A record that matches but that the sender may not open (locked by
another owner, not disclosed) is not merged into: AE with ERR-3 206 (application
record locked), nothing written but the refused access event.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.linking.rules import names_match
from portal.registry import (
    AccessAction,
    AccessChannel,
    AccessOutcome,
    DoseKind,
    Immunization,
    Organization,
    Patient,
    RecordSource,
    RegistryStatus,
    Sex,
    record_access,
)
from portal.registry.sharing import REASON_NO_NEW_ENTRIES, REASON_NOT_SHARED, decide_for

from .hl7 import (
    Checked,
    Dose,
    Location,
    Problem,
    Severity,
    Vxu,
    build_ack,
    parse_date,
    read_vxu,
)
from .models import DoseOrder, DoseRefusal, PatientIdentifier

log = logging.getLogger(__name__)

REGISTRY_ID_TYPE = "SR"

LOCKED_TEXT = (
    "The record this message matches is not shared with the sending organization; "
    "nothing was stored. Ask the family or the registry's help desk."
)
AMBIGUOUS_TEXT = (
    "Several registry records match this patient; nothing was stored. "
    "Send the registry id (PID-3, type SR)."
)
INACTIVE_TEXT = "The record is permanently inactive (PD1-16 P); nothing was stored."
NOT_A_PROVIDER_TEXT = (
    "Only health care providers report immunizations; this organization may query only."
)
INTERNAL_TEXT = "The registry could not store this message; nothing was stored. Send it again."


@dataclass(frozen=True, slots=True)
class Stored:
    """What one submit did (for tests and the bench)."""

    ack: bytes
    patient_id: int | None
    created: bool
    written: bool


class Refused(Exception):
    """Nothing may be written; the ACK carries this problem."""

    def __init__(self, problem: Problem, patient: Patient | None = None,
                 reason: str | None = None) -> None:  # fmt: skip
        super().__init__(problem.text)
        self.problem, self.patient, self.reason = problem, patient, reason


RegistryIds = Callable[[Session], str]  # a new record's registry id


def submit(
    session: Session, organization: Organization, checked: Checked, *, now: datetime,
    control_id: str, registry_ids: RegistryIds | None = None,
) -> bytes:  # fmt: skip
    return store(session, organization, checked, now=now, control_id=control_id,
                 registry_ids=registry_ids).ack  # fmt: skip


def store(
    session: Session, organization: Organization, checked: Checked, *, now: datetime,
    control_id: str, registry_ids: RegistryIds | None = None,
) -> Stored:  # fmt: skip
    """`now` stamps the access event; `registry_ids` gives a new record its id
    (new_registry_id, random, unless the caller passes its own: the demo's are fixed)."""
    problems = list(checked.problems)

    def answer(extra: list[Problem], patient_id: int | None = None, created: bool = False,
               written: bool = False) -> Stored:  # fmt: skip
        ack = build_ack(checked.received, problems + extra, control_id=control_id, now=now)
        return Stored(ack, patient_id, created, written)

    if checked.message is None or any(p.severity is Severity.ERROR for p in problems):
        return answer([])
    if not organization.is_health_care:  # a school, child care or WIC reads, never writes
        return answer([Problem(None, 207, Severity.ERROR, NOT_A_PROVIDER_TEXT, rejects=True)])
    vxu = read_vxu(checked.message)
    # PD1-12 without its date PD1-13 takes the message's date (MSH-7), as the hl7 README says.
    today = now.date()
    sent_on = parse_date(checked.message.header.sent_at) or today
    try:
        with session.begin_nested():
            patient, created = _patient(
                session,
                organization,
                vxu,
                today=today,
                sent_on=sent_on,
                registry_ids=registry_ids or new_registry_id,
            )
            notes = _write(session, organization, patient, vxu, created=created, sent_on=sent_on)
            record_access(session, patient, action=AccessAction.SUBMIT if created
                          else AccessAction.UPDATE, channel=AccessChannel.HL7,
                          organization=organization, occurred_at=now)  # fmt: skip
            session.flush()
    except Refused as refused:
        if refused.patient is not None:  # the refusal is itself an access event
            record_access(session, refused.patient, action=AccessAction.UPDATE,
                          channel=AccessChannel.HL7, outcome=AccessOutcome.DENIED,
                          organization=organization, reason=refused.reason,
                          occurred_at=now)  # fmt: skip
            session.flush()
        return answer([refused.problem])
    except Exception as exc:  # any failure: the savepoint is rolled back, nothing half-written
        # The type only: a database error's text carries the statement's values (PHI).
        log.error("VXU from organization %s not stored: %s", organization.id,
                  type(exc).__name__)  # fmt: skip
        return answer([Problem(None, 207, Severity.ERROR, INTERNAL_TEXT)])
    return answer(notes, patient.id, created, True)


# --- Matching ----------------------------------------------------------------------------


def _patient(session: Session, organization: Organization, vxu: Vxu, *, today: date,
             sent_on: date, registry_ids: RegistryIds) -> tuple[Patient, bool]:  # fmt: skip
    found = _match(session, organization, vxu)
    if found is None:
        patient = _create(session, organization, vxu, today=today, sent_on=sent_on,
                          registry_id=registry_ids(session))  # fmt: skip
        return patient, True
    decision = decide_for(organization, found)
    if not decision.allowed:
        raise Refused(Problem(Location("PID", 1, 3), 206, Severity.ERROR, LOCKED_TEXT),
                      found, decision.reason or REASON_NOT_SHARED)  # fmt: skip
    if not decision.accepts_new_entries:
        raise Refused(Problem(Location("PD1", 1, 16), 206, Severity.ERROR, INACTIVE_TEXT),
                      found, REASON_NO_NEW_ENTRIES)  # fmt: skip
    return found, False


def _match(session: Session, organization: Organization, vxu: Vxu) -> Patient | None:
    ids = vxu.identifiers
    registry_ids = [i.id for i in ids if i.type_code == REGISTRY_ID_TYPE]
    if registry_ids:
        found = session.scalar(sa.select(Patient).where(Patient.registry_id.in_(registry_ids)))
        if found is not None:
            return found
    own = [i.id[:40] for i in ids if i.type_code != REGISTRY_ID_TYPE]
    if own:
        found = session.scalar(
            sa.select(Patient).join(PatientIdentifier, PatientIdentifier.patient_id == Patient.id)
            .where(PatientIdentifier.organization_id == organization.id,
                   PatientIdentifier.identifier.in_(own))
        )  # fmt: skip
        if found is not None:
            return found
    if not vxu.names or vxu.birth_date is None:
        return None
    name = vxu.names[0]
    candidates = [
        p
        for p in session.scalars(sa.select(Patient).where(Patient.birth_date == vxu.birth_date))
        if names_match(name.given, name.family, p.first_name, p.last_name)
    ]
    if len(candidates) > 1 and vxu.sex:
        candidates = [p for p in candidates if p.sex.value == vxu.sex] or candidates
    if len(candidates) > 1:
        raise Refused(Problem(Location("PID", 1, 5), 205, Severity.ERROR, AMBIGUOUS_TEXT))
    return candidates[0] if candidates else None


def new_registry_id(session: Session) -> str:
    while True:
        candidate = f"CA{secrets.randbelow(10**8):08d}"
        if session.scalar(sa.select(Patient.id).where(Patient.registry_id == candidate)) is None:
            return candidate


def _cut(value: str | None, length: int) -> str | None:
    return value[:length] if value else None


def _sex(code: str) -> Sex:
    try:
        return Sex(code)
    except ValueError:
        return Sex.UNKNOWN


def _create(session: Session, organization: Organization, vxu: Vxu, *, today: date,
            sent_on: date, registry_id: str) -> Patient:  # fmt: skip
    name = vxu.names[0]
    patient = Patient(
        registry_id=registry_id,
        first_name=name.given[:100], middle_name=_cut(name.middle, 100),
        last_name=name.family[:100], birth_date=vxu.birth_date, sex=_sex(vxu.sex),
        source=RecordSource.PROVIDER_REPORT,
        # The reporting provider is the one who gives the registry notice (policy rule 3).
        disclosed=True, disclosed_on=today,
        shared=vxu.locked is not True, sharing_effective_on=vxu.protection_on or sent_on,
        owner=organization,
    )  # fmt: skip
    session.add(patient)
    session.flush()
    return patient


# --- Writing -----------------------------------------------------------------------------


def _write(session: Session, organization: Organization, patient: Patient, vxu: Vxu, *,
           created: bool, sent_on: date) -> list[Problem]:  # fmt: skip
    notes: list[Problem] = []
    for ident in vxu.identifiers:
        if ident.type_code != REGISTRY_ID_TYPE:
            _remember_identifier(session, organization, patient, ident.id[:40])
    _demographics(patient, vxu)
    if vxu.locked is not None and (created or vxu.locked != patient.locked):
        patient.shared = not vxu.locked
        patient.sharing_effective_on = vxu.protection_on or sent_on
    if vxu.registry_status:
        try:
            patient.status = RegistryStatus(vxu.registry_status)
        except ValueError:
            pass  # validate has warned: not saved
    for dose in vxu.doses:
        note = _dose(session, organization, patient, dose)
        if note is not None:
            notes.append(note)
    return notes


def _remember_identifier(session: Session, organization: Organization, patient: Patient,
                         identifier: str) -> None:  # fmt: skip
    known = session.scalar(sa.select(PatientIdentifier).where(
        PatientIdentifier.organization_id == organization.id,
        PatientIdentifier.identifier == identifier,
    ))  # fmt: skip
    if known is None:
        session.add(PatientIdentifier(patient_id=patient.id, organization_id=organization.id,
                                      identifier=identifier))  # fmt: skip
        session.flush()


def _demographics(patient: Patient, vxu: Vxu) -> None:
    """Contact details and the guardian, when the message carries them (the registry
    model keeps one guardian's name)."""
    if vxu.addresses:
        a = vxu.addresses[0]
        patient.address_street = _cut(" ".join(x for x in (a.street, a.other) if x), 200)
        patient.address_city = _cut(a.city, 100)
        patient.address_state = _cut(a.state, 2)
        patient.address_zip = _cut(a.zip, 10)
    phones = [p for p in vxu.phones if p.number]
    if phones:
        patient.phone = _cut(phones[0].number, 30)
    emails = [p.email for p in vxu.phones if p.email]
    if emails:
        patient.email = _cut(emails[0], 254)
    guardians = [g for g in vxu.guardians if g.is_guardian and g.names]
    if guardians:
        n = guardians[0].names[0]
        patient.guardian_name = _cut(Patient.join_name(n.given, n.middle, n.family), 200)


def _dose(session: Session, organization: Organization, patient: Patient,
          dose: Dose) -> Problem | None:  # fmt: skip
    if dose.cvx is None or dose.given_on is None or dose.cvx == "998":
        return None  # "no vaccine administered", or a problem validate reported
    if dose.refused:
        session.add(DoseRefusal(patient_id=patient.id, cvx_code=dose.cvx[:4],
                                refused_on=dose.given_on, reason_code=dose.refusal_reason[:20],
                                reported_by_org_id=organization.id))  # fmt: skip
        return None
    if not dose.administered:
        return None  # NA: not administered, nothing to record
    existing = _existing_dose(session, organization, patient, dose)
    if dose.action == "D":
        if existing is not None:  # one never stored is deleted already: the plans answer AA
            existing.deleted = True
        return None
    target = existing or Immunization(patient_id=patient.id)
    target.cvx_code = dose.cvx[:4]
    target.given_on = dose.given_on
    target.mvx_code = _cut(dose.mvx, 4)
    target.lot_number = _cut(dose.lot_numbers[0] if dose.lot_numbers else None, 40)
    target.kind = DoseKind.HISTORICAL if dose.historical else DoseKind.ADMINISTERED
    target.administering_org_id = None if dose.historical else organization.id
    target.reported_by_org_id = organization.id
    target.deleted = False
    if existing is None:
        session.add(target)
        session.flush()
        if dose.filler_order:
            _remember_order(session, organization, target, dose.filler_order[:80])
    return None


def _existing_dose(session: Session, organization: Organization, patient: Patient,
                   dose: Dose) -> Immunization | None:  # fmt: skip
    """The dose this RXA names: by the sender's order id (ORC-3), else the same vaccine on
    the same day on this record (a message sent again adds nothing twice)."""
    if dose.filler_order:
        found = session.scalar(
            sa.select(Immunization).join(DoseOrder)
            .where(DoseOrder.organization_id == organization.id,
                   DoseOrder.order_id == dose.filler_order[:80],
                   Immunization.patient_id == patient.id)
        )  # fmt: skip
        if found is not None:
            return found
    return session.scalar(
        sa.select(Immunization).where(
            Immunization.patient_id == patient.id, Immunization.cvx_code == dose.cvx,
            Immunization.given_on == dose.given_on, Immunization.deleted.is_(False),
        ).limit(1)
    )  # fmt: skip


def _remember_order(session: Session, organization: Organization, dose: Immunization,
                    order_id: str) -> None:  # fmt: skip
    taken = session.scalar(sa.select(DoseOrder.immunization_id).where(
        DoseOrder.organization_id == organization.id, DoseOrder.order_id == order_id))  # fmt: skip
    if taken is None:
        session.add(DoseOrder(immunization_id=dose.id, organization_id=organization.id,
                              order_id=order_id))  # fmt: skip
