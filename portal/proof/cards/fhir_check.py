"""The FHIR checks a card verifier needs, and a plain summary of an immunization card.

Not a full FHIR validator: it checks the Bundle shell, FHIR's ban on empty values,
the spec's data-minimization rules (as warnings) and the Patient and Immunization
elements that the summary shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .bundle import CVX_SYSTEM
from .reasons import Reason

_DATE = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")
_DATETIME = re.compile(_DATE.pattern + r"(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2}))?")
_IMMUNIZATION_STATUS = {"completed", "entered-in-error", "not-done"}
_CODING_KEYS = {"id", "extension", "system", "version", "code", "display", "userSelected"}
_SHORT_URL = re.compile(r"resource:[0-9]+")
# Cards carry a `collection`; the spec's IPS example shows a `document` works too.
_BUNDLE_TYPES = {"collection", "document"}


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _empty_values(value: Any) -> int:
    """How many empty strings, arrays, objects or nulls FHIR JSON forbids inside value."""
    if value is None or value == "" or value == [] or value == {}:
        return 1
    if isinstance(value, dict):
        return sum(_empty_values(v) for v in value.values())
    if isinstance(value, list):
        return sum(_empty_values(v) for v in value)
    return 0


def _minimization(value: Any, found: Findings) -> None:
    """Coding.display and CodeableConcept.text make the QR bigger for no verifier use."""
    if isinstance(value, list):
        for item in value:
            _minimization(item, found)
    elif isinstance(value, dict):
        if "coding" in value and "text" in value:
            found.warnings.append(Reason.SCHEMA_ERROR)
        if "system" in value and "code" in value and "display" in value:
            found.warnings.append(Reason.SCHEMA_ERROR)
        for item in value.values():
            _minimization(item, found)


def _check_meta(meta: Any, found: Findings) -> None:
    if not isinstance(meta, dict) or set(meta) != {"security"}:
        # Allowed only as {"security": [...]}; other members are a minimization lapse.
        found.warnings.append(Reason.FHIR_SCHEMA_ERROR)
    security = meta.get("security") if isinstance(meta, dict) else None
    if security is None:
        return
    if not isinstance(security, list) or not all(
        isinstance(c, dict) and c and set(c) <= _CODING_KEYS for c in security
    ):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)


def _has_coding(concept: Any) -> bool:
    return isinstance(concept, dict) and isinstance(concept.get("coding"), list) and any(
        isinstance(c, dict) and isinstance(c.get("code"), str) for c in concept["coding"]
    )


def _check_patient(resource: dict[str, Any], found: Findings) -> None:
    names = resource.get("name")
    if names is not None and not (isinstance(names, list) and all(isinstance(n, dict) for n in names)):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
    birth = resource.get("birthDate")
    if birth is not None and not (isinstance(birth, str) and _DATE.fullmatch(birth)):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)


def _check_immunization(resource: dict[str, Any], found: Findings) -> None:
    if resource.get("status") not in _IMMUNIZATION_STATUS:
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
    if not _has_coding(resource.get("vaccineCode")):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
    patient = resource.get("patient")
    if not (isinstance(patient, dict) and isinstance(patient.get("reference"), str)):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
    occurrences = [k for k in resource if k.startswith("occurrence")]
    if occurrences not in (["occurrenceDateTime"], ["occurrenceString"]):
        # occurrence[x] is required and a choice: exactly one of its forms.
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
    when = resource.get("occurrenceDateTime")
    if when is not None and not (isinstance(when, str) and _DATETIME.fullmatch(when)):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
    lot = resource.get("lotNumber")
    if lot is not None and not isinstance(lot, str):
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)


def check_bundle(bundle: Any) -> Findings:
    """Errors make a card unusable; warnings are issuer lapses a verifier can live with."""
    found = Findings()
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
        return found
    entries = bundle.get("entry")
    if bundle.get("type") not in _BUNDLE_TYPES or not isinstance(entries, list) or not entries:
        found.errors.append(Reason.FHIR_SCHEMA_ERROR)
        return found
    found.errors.extend([Reason.FHIR_SCHEMA_ERROR] * _empty_values(bundle))
    if "id" in bundle:
        found.warnings.append(Reason.SCHEMA_ERROR)
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            found.errors.append(Reason.FHIR_SCHEMA_ERROR)
            continue
        if not (isinstance(entry.get("fullUrl"), str) and _SHORT_URL.fullmatch(entry["fullUrl"])):
            found.warnings.append(Reason.SCHEMA_ERROR)
        for member in ("id", "text"):
            if member in resource:
                found.warnings.append(Reason.SCHEMA_ERROR)
        if "meta" in resource:
            _check_meta(resource["meta"], found)
        _minimization(resource, found)
        if resource["resourceType"] == "Patient":
            _check_patient(resource, found)
        elif resource["resourceType"] == "Immunization":
            _check_immunization(resource, found)
    return found


@dataclass(frozen=True)
class DoseSummary:
    cvx: str | None
    occurred: str | None
    occurred_on: date | None
    lot: str | None
    performer: str | None
    status: str | None


@dataclass(frozen=True)
class CardSummary:
    name: str
    given: list[str]
    family: str | None
    birth_date: date | None
    doses: list[DoseSummary]


def _as_date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _dose(resource: dict[str, Any]) -> DoseSummary:
    concept = resource.get("vaccineCode")
    codings = concept.get("coding") if isinstance(concept, dict) else None
    cvx = None
    for coding in codings if isinstance(codings, list) else []:
        if isinstance(coding, dict) and coding.get("system") == CVX_SYSTEM:
            cvx = _text(coding.get("code"))
            break
    performers = resource.get("performer")
    names = []
    for performer in performers if isinstance(performers, list) else []:
        actor = performer.get("actor") if isinstance(performer, dict) else None
        display = _text(actor.get("display")) if isinstance(actor, dict) else None
        if display:
            names.append(display)
    when = _text(resource.get("occurrenceDateTime")) or _text(resource.get("occurrenceString"))
    return DoseSummary(
        cvx=cvx,
        occurred=when,
        occurred_on=_as_date(resource.get("occurrenceDateTime")),
        lot=_text(resource.get("lotNumber")),
        performer="; ".join(names) or None,
        status=_text(resource.get("status")),
    )


def summarize_bundle(bundle: Any) -> CardSummary | None:
    """Patient name and birth date with each Immunization, or None without a Patient."""
    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    resources = [e.get("resource") for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    resources = [r for r in resources if isinstance(r, dict)]
    patient = next((r for r in resources if r.get("resourceType") == "Patient"), None)
    if patient is None:
        return None
    names = patient.get("name")
    first = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    given_raw = first.get("given")
    given = [g for g in given_raw if isinstance(g, str)] if isinstance(given_raw, list) else []
    family = _text(first.get("family"))
    return CardSummary(
        name=" ".join(given + ([family] if family else [])),
        given=given,
        family=family,
        birth_date=_as_date(patient.get("birthDate")),
        doses=[_dose(r) for r in resources if r.get("resourceType") == "Immunization"],
    )
