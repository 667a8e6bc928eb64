"""What an approved correction does: the agent's edit of a dose or a personal detail.

The edit is applied in the approving transaction, what the record said before and
after is kept on the request (``details["changes"]``: a list, so a later correction of
the same request's record adds to it), the edit is an access event of the record, and
every card printed before it is revoked (a printout may now show the wrong dose, name
or birth date: `portal.proof.crl.revoke_cards_before`).

``data`` is one change, already validated by the staff form:
``{"dose_id": 7, "given_on": date | None, "cvx_code": str | None, "remove": bool}`` or
``{"field": "last_name", "value": "Lopez"}`` (see DETAIL_FIELDS).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.proof.crl import revoke_cards_before
from portal.registry import AccessAction, AccessChannel, Immunization, Patient, record_access
from portal.registry.vaccines import lookup

from . import effects
from .models import Request, RequestKind

# The personal details a correction may change; the last two decide a printout's validity.
DETAIL_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "birth_date",
    "guardian_name",
    "address_street",
    "address_city",
    "address_zip",
    "phone",
)
REQUIRED_FIELDS = frozenset({"first_name", "last_name", "birth_date"})


class CorrectionRefused(ValueError):
    """The change does not fit the record (no such dose, no change at all, an unknown code)."""


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _dose_change(db: Session, patient: Patient, data: Mapping[str, Any]) -> dict[str, Any]:
    dose = db.get(Immunization, data.get("dose_id") or 0)
    if dose is None or dose.patient_id != patient.id or dose.deleted:
        raise CorrectionRefused("no such dose on this record")
    before = {"given_on": _as_text(dose.given_on), "cvx_code": dose.cvx_code, "deleted": False}
    if data.get("remove"):
        dose.deleted = True
    else:
        if data.get("given_on") is not None:
            dose.given_on = data["given_on"]
        if data.get("cvx_code"):
            vaccine = lookup(data["cvx_code"])
            if vaccine is None:
                raise CorrectionRefused("unknown vaccine code")
            dose.cvx_code = vaccine.cvx
    after = {
        "given_on": _as_text(dose.given_on), "cvx_code": dose.cvx_code, "deleted": dose.deleted,
    }  # fmt: skip
    if after == before:
        raise CorrectionRefused("the change changes nothing")
    return {"what": "dose", "dose_id": dose.id, "before": before, "after": after}


def _detail_change(patient: Patient, data: Mapping[str, Any]) -> dict[str, Any]:
    field = data.get("field")
    if field not in DETAIL_FIELDS:
        raise CorrectionRefused("not a detail a correction changes")
    value = data.get("value")
    if isinstance(value, str):
        value = value.strip() or None
    if value is None and field in REQUIRED_FIELDS:
        raise CorrectionRefused("this detail cannot be empty")
    if field == "birth_date" and not isinstance(value, date):
        raise CorrectionRefused("a birth date is a date")
    before = getattr(patient, field)
    if before == value:
        raise CorrectionRefused("the change changes nothing")
    setattr(patient, field, value)
    return {"what": "detail", "field": field, "before": _as_text(before), "after": _as_text(value)}


def changes_revocation(change: Mapping[str, Any]) -> bool:
    """Whether a printout made before the change may now be wrong."""
    return change["what"] == "dose" or change.get("field") in {
        "first_name", "middle_name", "last_name", "birth_date",
    }  # fmt: skip


@effects.on_approve(RequestKind.CORRECTION)
def apply_correction(
    db: Session, request: Request, actor: User, now: datetime, data: Mapping[str, Any]
) -> None:
    patient = request.patient
    if patient is None:
        raise CorrectionRefused("the request names no record")
    if "dose_id" in data:
        change = _dose_change(db, patient, data)
    else:
        change = _detail_change(patient, data)
    change.update(at=now.isoformat(), by=actor.id)
    details = dict(request.details or {})
    details["changes"] = [*details.get("changes", []), change]
    request.details = details  # a new dict: JSON columns do not track changes in place
    patient.updated_at = now
    record_access(
        db,
        patient,
        action=AccessAction.UPDATE,
        channel=AccessChannel.PORTAL,
        user_id=actor.id,
        reason="correction",
    )
    db.flush()
    if changes_revocation(change):
        revoke_cards_before(db, patient, now)
