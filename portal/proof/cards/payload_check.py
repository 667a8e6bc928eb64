"""Checks on the inflated JWS payload: claims, dates and vc.type."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .fhir_check import Findings
from .jws import HEALTH_CARD, IMMUNIZATION, RID_PATTERN, is_valid_issuer_url
from .reasons import Reason

LABORATORY = "https://smarthealth.cards#laboratory"
COVID19 = "https://smarthealth.cards#covid19"
VERIFIABLE_CREDENTIAL = "VerifiableCredential"
KNOWN_TYPES = {HEALTH_CARD, IMMUNIZATION, LABORATORY, COVID19, VERIFIABLE_CREDENTIAL}

# CDC's COVID-19 CVX codes; a card holding one SHOULD carry the covid19 type.
COVID_CVX = frozenset(
    ["207", "208", "210", "211", "212", "213", "217", "218", "219", "221", "225", "226", "227", "228", "229", "230", "300", "301", "302", "308", "309", "310", "311", "312", "313", "500", "501", "502", "503", "504", "505", "506", "507", "508", "509", "510", "511", "512", "513", "514", "515", "516", "517", "518", "519"]
)

# 2021-02-01 in milliseconds: a date claim past this is seconds misread as milliseconds.
_MILLISECONDS_HINT = 1_612_137_600_000


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _resources(bundle: Any) -> list[dict[str, Any]]:
    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    found = [e.get("resource") for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    return [r for r in found if isinstance(r, dict)]


def _first_code(concept: Any) -> str | None:
    codings = concept.get("coding") if isinstance(concept, dict) else None
    first = codings[0] if isinstance(codings, list) and codings else None
    code = first.get("code") if isinstance(first, dict) else None
    return code if isinstance(code, str) else None


def _check_dates(payload: dict[str, Any], now: datetime, leeway: timedelta, found: Findings) -> None:
    nbf, exp = payload.get("nbf"), payload.get("exp")
    moment = now.timestamp()
    if not _is_number(nbf):
        found.errors.append(Reason.SCHEMA_ERROR)
    elif nbf > moment + leeway.total_seconds():
        found.errors.append(Reason.NOT_YET_VALID)
    if exp is None:
        return
    if not _is_number(exp):
        found.errors.append(Reason.SCHEMA_ERROR)
        return
    if _is_number(nbf) and exp <= nbf:
        found.errors.append(Reason.EXPIRATION_ERROR)
    if exp > _MILLISECONDS_HINT:
        found.warnings.append(Reason.EXPIRATION_ERROR)
    elif exp < moment:
        # The spec: verifiers SHALL reject a card whose exp is before now.
        found.errors.append(Reason.EXPIRATION_ERROR)


def _check_types(types: list[str], bundle: Any, found: Findings) -> None:
    """Only HEALTH_CARD is a SHALL; the rest mirror the dev-tools' SHOULD warnings."""
    if HEALTH_CARD not in types:
        found.errors.append(Reason.SCHEMA_ERROR)
    resources = _resources(bundle)
    codes = [_first_code(r.get("vaccineCode")) for r in resources if r.get("resourceType") == "Immunization"]
    has_lab = any(r.get("resourceType") == "Observation" for r in resources)
    if bool(codes) != (IMMUNIZATION in types):
        found.warnings.append(Reason.SCHEMA_ERROR)
    if has_lab and LABORATORY not in types:
        found.warnings.append(Reason.SCHEMA_ERROR)
    has_covid = any(code in COVID_CVX for code in codes)
    # Lab codes are not classified here, so an Observation may justify the covid19 type.
    if has_covid and COVID19 not in types or COVID19 in types and not (has_covid or has_lab):
        found.warnings.append(Reason.SCHEMA_ERROR)
    if VERIFIABLE_CREDENTIAL in types:
        found.warnings.append(Reason.SCHEMA_ERROR)  # allowed, but wastes QR space
    for card_type in types:
        if card_type not in KNOWN_TYPES:
            # The spec says to ignore unknown types; flagged only so humans can see them.
            found.warnings.append(Reason.SCHEMA_ERROR)


def check_payload(payload: Any, *, now: datetime, leeway: timedelta) -> Findings:
    """Findings for the JWT claims; the FHIR bundle itself is checked elsewhere."""
    found = Findings()
    if not isinstance(payload, dict):
        found.errors.append(Reason.JSON_PARSE_ERROR)
        return found
    iss = payload.get("iss")
    if not isinstance(iss, str):
        found.errors.append(Reason.SCHEMA_ERROR)
    elif not is_valid_issuer_url(iss):
        found.errors.append(Reason.INVALID_ISSUER_URL)
    _check_dates(payload, now, leeway, found)
    vc = payload.get("vc")
    if not isinstance(vc, dict):
        found.errors.append(Reason.SCHEMA_ERROR)
        return found
    if "@context" in vc:
        found.warnings.append(Reason.SCHEMA_ERROR)
    subject = vc.get("credentialSubject")
    bundle = subject.get("fhirBundle") if isinstance(subject, dict) else None
    if not isinstance(bundle, dict) or not isinstance(subject.get("fhirVersion"), str):
        found.errors.append(Reason.SCHEMA_ERROR)
    types = vc.get("type")
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        found.errors.append(Reason.SCHEMA_ERROR)
    else:
        _check_types(types, bundle, found)
    rid = vc.get("rid")
    if rid is not None and not (isinstance(rid, str) and RID_PATTERN.fullmatch(rid)):
        found.errors.append(Reason.REVOCATION_ERROR)
    return found
