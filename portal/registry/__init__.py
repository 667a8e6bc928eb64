"""The registry's data and rules. Plain SQLAlchemy and Python: no Flask here."""

from .access_log import AccessAction, AccessChannel, AccessEvent, AccessOutcome, record_access
from .doses import DoseKind, Immunization, TbInterpretation, TbTest, TbTestType
from .organizations import HEALTH_CARE_KINDS, Organization, OrgKind
from .patients import Patient, RecordSource, RegistryStatus, Sex

__all__ = [
    "HEALTH_CARE_KINDS",
    "AccessAction",
    "AccessChannel",
    "AccessEvent",
    "AccessOutcome",
    "DoseKind",
    "Immunization",
    "OrgKind",
    "Organization",
    "Patient",
    "RecordSource",
    "RegistryStatus",
    "Sex",
    "TbInterpretation",
    "TbTest",
    "TbTestType",
    "record_access",
]
