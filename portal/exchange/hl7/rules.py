"""Our rule table for the CDC IG 1.5 profiles we receive: VXU^V04 (Z22) and QBP^Q11 (Z44).

For each segment: which fields are required (R), required when known (RE), optional
(O), conditional (C: checked in validate.py) or not supported (X: ignored); the
value set a coded field is checked against; a length the registry keeps (longer
values are cut, with a warning); and how bad a miss is. Segment order and
cardinality per message structure are in STRUCTURES.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from . import tables


class Usage(StrEnum):
    R = "R"
    RE = "RE"
    O = "O"  # noqa: E741 - the guide's letter
    C = "C"
    X = "X"


class Severity(StrEnum):
    """HL7 table 0516, ERR-4."""

    ERROR = "E"
    WARNING = "W"
    INFO = "I"


E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class FieldRule:
    field: int
    name: str
    usage: Usage
    table: frozenset[str] | None = None
    table_name: str = ""  # e.g. HL70001, as ERR-8 names it
    component: int = 1  # the component holding the code, or checked for presence
    length: int | None = None  # the longest value kept (of `component`)
    missing: Severity = E  # how a missing R field counts
    unknown: Severity = W  # how a code outside `table` counts
    repeats: bool = False
    date: bool = False  # a DT/TS whose day is checked


def rule(field: int, name: str, usage: str, **kw: object) -> FieldRule:
    return FieldRule(field, name, Usage(usage), **kw)  # type: ignore[arg-type]


SEGMENT_RULES: dict[str, tuple[FieldRule, ...]] = {
    "MSH": (
        rule(7, "Date/Time of Message", "R", missing=W),
        rule(9, "Message Type", "R"),
        rule(10, "Message Control ID", "R", length=50),
        rule(11, "Processing ID", "R"),
        rule(12, "Version ID", "R"),
        rule(15, "Accept Acknowledgment Type", "RE", table=tables.ACK_CONDITION,
             table_name="HL70155"),
        rule(16, "Application Acknowledgment Type", "RE", table=tables.ACK_CONDITION,
             table_name="HL70155"),
        rule(21, "Message Profile Identifier", "R", missing=W),
    ),
    "PID": (
        rule(1, "Set ID - PID", "RE"),
        rule(2, "Patient ID", "X"),
        rule(3, "Patient Identifier List", "R", repeats=True, length=20),
        rule(4, "Alternate Patient ID", "X"),
        rule(5, "Patient Name", "R", repeats=True, length=50),
        rule(6, "Mother's Maiden Name", "RE", length=50),
        rule(7, "Date/Time of Birth", "R", date=True),
        rule(8, "Administrative Sex", "RE", table=tables.SEX, table_name="HL70001"),
        rule(9, "Patient Alias", "X"),
        rule(10, "Race", "RE", table=tables.RACE, table_name="CDCREC", repeats=True),
        rule(11, "Patient Address", "RE", repeats=True, length=120),
        rule(12, "County Code", "X"),
        rule(13, "Phone Number - Home", "RE", repeats=True),
        rule(19, "SSN Number - Patient", "X"),
        rule(22, "Ethnic Group", "RE", table=tables.ETHNICITY, table_name="CDCREC"),
        rule(24, "Multiple Birth Indicator", "RE", table=tables.YES_NO, table_name="HL70136"),
        rule(29, "Patient Death Date and Time", "RE", date=True),
        rule(30, "Patient Death Indicator", "RE", table=tables.YES_NO, table_name="HL70136"),
    ),
    "PD1": (
        rule(11, "Publicity Code", "RE", table=tables.PUBLICITY, table_name="HL70215"),
        rule(12, "Protection Indicator", "RE", table=tables.YES_NO, table_name="HL70136"),
        rule(13, "Protection Indicator Effective Date", "C", date=True),
        rule(16, "Immunization Registry Status", "RE", table=tables.REGISTRY_STATUS,
             table_name="HL70441"),
        rule(17, "Immunization Registry Status Effective Date", "C", date=True),
        rule(18, "Publicity Code Effective Date", "C", date=True),
    ),
    "NK1": (
        rule(1, "Set ID - NK1", "R", missing=W),
        rule(2, "Name", "R", missing=W, length=50),
        rule(3, "Relationship", "R", table=tables.RELATIONSHIP, table_name="HL70063",
             missing=W),
        rule(4, "Address", "RE", repeats=True, length=120),
        rule(5, "Phone Number", "RE", repeats=True),
    ),
    "ORC": (
        rule(1, "Order Control", "R", missing=W),
        rule(3, "Filler Order Number", "R", missing=W, length=50),
    ),
    "RXA": (
        rule(1, "Give Sub-ID Counter", "R", missing=W),
        rule(2, "Administration Sub-ID Counter", "R", missing=W),
        rule(3, "Date/Time Start of Administration", "R", date=True),
        rule(5, "Administered Code", "R"),
        rule(6, "Administered Amount", "R", missing=W),
        rule(9, "Administration Notes", "RE", table=tables.INFORMATION_SOURCE,
             table_name="NIP001", repeats=True),
        rule(15, "Substance Lot Number", "C", length=20, repeats=True),
        rule(16, "Substance Expiration Date", "C", date=True, repeats=True),
        rule(17, "Substance Manufacturer Name", "C", table=tables.MVX, table_name="MVX",
             repeats=True),
        rule(18, "Substance/Treatment Refusal Reason", "C", table=tables.REFUSAL_REASON,
             table_name="NIP002", repeats=True),
        rule(20, "Completion Status", "RE", table=tables.COMPLETION, table_name="HL70322",
             unknown=E),
        rule(21, "Action Code - RXA", "RE", table=tables.ACTION, table_name="HL70323",
             unknown=E),
    ),
    "RXR": (
        rule(1, "Route", "R", table=tables.ROUTE, table_name="NCIT", missing=W),
        rule(2, "Administration Site", "RE", table=tables.BODY_SITE, table_name="HL70163"),
    ),
    "OBX": (
        rule(1, "Set ID - OBX", "R", missing=W),
        rule(2, "Value Type", "R", missing=W),
        rule(3, "Observation Identifier", "R", missing=W),
        rule(4, "Observation Sub-ID", "R", missing=W),
        rule(5, "Observation Value", "R", missing=W),
        rule(11, "Observation Result Status", "R", missing=W),
    ),
    "QPD": (
        rule(1, "Message Query Name", "R"),
        rule(2, "Query Tag", "R", length=32),
        rule(3, "Patient Identifier List", "RE", repeats=True, length=20),
        rule(4, "Patient Name", "R", length=50),
        rule(5, "Mother's Maiden Name", "RE", length=50),
        rule(6, "Patient Date of Birth", "R", date=True),
        rule(7, "Administrative Sex", "RE", table=tables.SEX, table_name="HL70001"),
        rule(8, "Patient Address", "RE", length=120),
        rule(10, "Multiple Birth Indicator", "RE", table=tables.YES_NO, table_name="HL70136"),
    ),
    "RCP": (
        rule(1, "Query Priority", "R", missing=W),
        rule(3, "Response Modality", "RE"),
    ),
}  # fmt: skip

# The longest field kept whole, whatever the rule: longer ones are cut (a warning).
MAX_FIELD = 2000

QUERY_NAMES = frozenset({"Z44", "Z34"})


# Segment order of the abstract message syntax, flattened: the ORDER group of VXU
# (ORC, TQ1, TQ2, RXA, RXR, OBX, NTE) repeats as a whole, so it is checked in validate.
VXU_SEGMENTS = ("MSH", "SFT", "PID", "PD1", "NK1", "PV1", "PV2", "GT1", "IN1", "IN2", "IN3")
ORDER_SEGMENTS = ("ORC", "TQ1", "TQ2", "RXA", "RXR", "OBX", "NTE")
QBP_SEGMENTS = ("MSH", "QPD", "RCP")
ONCE = frozenset({"MSH", "PID", "PD1", "PV1", "PV2", "QPD", "RCP"})
REQUIRED = {"VXU": ("PID",), "QBP": ("QPD", "RCP")}

SUPPORTED_TYPES = {("VXU", "V04"): "Z22", ("QBP", "Q11"): "Z44"}
PROFILES = {"VXU": frozenset({"Z22"}), "QBP": QUERY_NAMES}
