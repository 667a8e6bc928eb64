"""Minified FHIR R4 immunization Bundle for a SMART Health Card."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

CVX_SYSTEM = "http://hl7.org/fhir/sid/cvx"
_CVX = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True, slots=True)
class CardPatient:
    given: list[str]
    family: str
    birth_date: date


@dataclass(frozen=True, slots=True)
class CardDose:
    cvx: str
    occurred_on: date
    lot: str | None = None
    performer: str | None = None


def _clean(value: str | None) -> str | None:
    """FHIR forbids empty strings, so blank optional text is left out entirely."""
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _patient(patient: CardPatient) -> dict[str, Any]:
    given = [g for g in (_clean(x) for x in patient.given) if g]
    family = _clean(patient.family)
    if not given and not family:
        raise ValueError("patient needs a given or a family name")
    name: dict[str, Any] = {}
    if family:
        name["family"] = family
    if given:
        name["given"] = given
    return {
        "resourceType": "Patient",
        "name": [name],
        "birthDate": patient.birth_date.isoformat(),
    }


def _immunization(dose: CardDose) -> dict[str, Any]:
    if not _CVX.fullmatch(dose.cvx):
        raise ValueError(f"not a CVX code: {dose.cvx!r}")
    resource: dict[str, Any] = {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": {"coding": [{"system": CVX_SYSTEM, "code": dose.cvx}]},
        "patient": {"reference": "resource:0"},
        "occurrenceDateTime": dose.occurred_on.isoformat(),
    }
    performer = _clean(dose.performer)
    if performer:
        resource["performer"] = [{"actor": {"display": performer}}]
    lot = _clean(dose.lot)
    if lot:
        resource["lotNumber"] = lot
    return resource


def build_bundle(patient: CardPatient, doses: Sequence[CardDose]) -> dict[str, Any]:
    """A `collection` Bundle: Patient at resource:0, one Immunization per dose, in the
    order given. Minified per the spec: no ids, meta, text or displays, short
    `resource:N` URIs, so it fits a single QR code for as long as possible."""
    if not doses:
        raise ValueError("a card needs at least one dose")
    resources = [_patient(patient)] + [_immunization(d) for d in doses]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"resource:{i}", "resource": r} for i, r in enumerate(resources)],
    }
