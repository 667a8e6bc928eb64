"""Who may open a record and which of its fields they see: the registry's sharing rules.

Plain functions over plain facts (no Flask, no database), so the staff view, the
school verifier and the HL7 exchange can all ask the same question and a test can
walk the whole table. Policy (shared/DESIGN.md, "Rules from the registry's policy"):

1. Only health care providers see address and phone (and, with them, the
   guardian's contact and the email on file). Schools, child care and WIC never do.
3. A birth-certificate record is opened by no organization until its disclosure is
   recorded. A provider-reported record not yet disclosed is treated like a locked
   one: its owner (who reported it) may open it, nobody else.
4. A locked record (shared = no) is opened only by the organization that owns it.

Registry status (PD1-16, HL7 table 0441) does not decide who may read: an inactive,
moved or lost-to-follow-up status says which provider is responsible for reminders,
not who may see the history, and the CDC guide leaves reading such records to the
registry. Table 0441's own definition of P ("permanently inactive: do not reactivate
or add new entries to the record"), which the registry uses for deceased patients,
does stop new entries: `Decision.accepts_new_entries` is False for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .organizations import HEALTH_CARE_KINDS, OrgKind
from .patients import RecordSource, RegistryStatus

# The reasons written on a refused access event (never PHI); the family's page words them.
REASON_NOT_SHARED = "not shared"
REASON_NOT_DISCLOSED = "not disclosed"
REASON_ORGANIZATION_INACTIVE = "organization inactive"
# Not a sharing rule but written beside them: a record an organization may open matched a
# query that matched more records than it may be sent (HL7 QAK TM), so none was sent.
REASON_TOO_MANY = "too many matches"
# PD1-16 P (permanently inactive): the record takes no new entries (Decision.accepts_new_entries).
REASON_NO_NEW_ENTRIES = "no new entries"


class Field(StrEnum):
    """The parts of a record an organization may be shown."""

    NAME = "name"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    DOSES = "doses"
    TB_TESTS = "tb_tests"
    GUARDIAN_NAME = "guardian_name"
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    GUARDIAN_CONTACT = "guardian_contact"  # the guardian's address and phone (NK1-4, NK1-5)


CONTACT_FIELDS = frozenset({Field.ADDRESS, Field.PHONE, Field.EMAIL, Field.GUARDIAN_CONTACT})
BASIC_FIELDS = frozenset(Field) - CONTACT_FIELDS
ALL_FIELDS = frozenset(Field)


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What the rules need to know about a record; `facts_of(patient)` reads them."""

    shared: bool
    disclosed: bool
    source: RecordSource
    status: RegistryStatus = RegistryStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    fields: frozenset[Field]  # empty when refused
    reason: str | None = None  # one of the REASON_* constants when refused
    accepts_new_entries: bool = True

    def sees(self, field: Field) -> bool:
        return field in self.fields

    @property
    def sees_contact(self) -> bool:
        return Field.ADDRESS in self.fields


def facts_of(patient: object) -> RecordFacts:
    """The facts of anything shaped like a Patient (the model, a RecordView, a test stub)."""
    return RecordFacts(
        shared=bool(getattr(patient, "shared")),  # noqa: B009 - any object with these names
        disclosed=bool(getattr(patient, "disclosed")),  # noqa: B009
        source=RecordSource(getattr(patient, "source")),  # noqa: B009
        status=RegistryStatus(getattr(patient, "status", RegistryStatus.ACTIVE)),
    )


def visible_fields(kind: OrgKind) -> frozenset[Field]:
    """Policy rule 1: contact details only for health care providers."""
    return ALL_FIELDS if kind in HEALTH_CARE_KINDS else BASIC_FIELDS


def refusal_reason(record: RecordFacts, *, owner: bool, active: bool = True) -> str | None:
    """Why an organization (the owner or not) may not open this record, or None when it
    may. Every kind of organization is held to the same opening rules; kinds differ only
    in the fields they see."""
    if not active:
        return REASON_ORGANIZATION_INACTIVE
    if not record.disclosed:
        if record.source is RecordSource.BIRTH_CERTIFICATE or not owner:
            return REASON_NOT_DISCLOSED
    if not record.shared and not owner:
        return REASON_NOT_SHARED
    return None


def decide(kind: OrgKind, record: RecordFacts, *, owner: bool, active: bool = True) -> Decision:
    """May an organization of this kind (the record's owner or not) open the record,
    and which fields does it see."""
    new_entries = record.status is not RegistryStatus.DECEASED
    reason = refusal_reason(record, owner=owner, active=active)
    if reason is not None:
        return Decision(False, frozenset(), reason, accepts_new_entries=new_entries)
    return Decision(True, visible_fields(kind), None, accepts_new_entries=new_entries)


def decide_for(organization: object, patient: object) -> Decision:
    """`decide` for an Organization and a Patient (or objects shaped like them)."""
    owner_id = getattr(patient, "owner_org_id", None)
    org_id = getattr(organization, "id", None)
    return decide(
        OrgKind(getattr(organization, "kind")),  # noqa: B009
        facts_of(patient),
        owner=owner_id is not None and owner_id == org_id,
        active=bool(getattr(organization, "active", True)),
    )
