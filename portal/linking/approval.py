"""What an approved verification does: link the parent to the record the agent picked.

Registered with requests' effects from here, so requests never imports linking. The
view passes the record the agent confirmed (``patient_id``), today's date in the
registry's time zone and the guardian-link age; the relationship is the one the
family gave on the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.registry import Patient
from portal.requests import effects
from portal.requests.models import Request, RequestKind

from . import rules
from .models import LinkMethod, Relationship
from .services import link_patient


class NoRecordChosen(ValueError):
    """Approving a verification needs the record it is about."""


class LinkRefused(ValueError):
    """The relationship cannot link this record today (rules.link_refusal's reason)."""


def relationship_of(request: Request) -> Relationship:
    try:
        return Relationship(request.details.get("relationship", ""))
    except ValueError:
        return Relationship.PARENT


def link_refusal(
    request: Request, patient: Patient, *, today: date, guardian_age: int
) -> str | None:
    """Why approving would not link the requester to `patient` ("guardian_adult": the person
    is grown up and links their own record; "self_minor"; "future"), or None."""
    return rules.link_refusal(relationship_of(request), patient.birth_date, today, guardian_age)


@effects.on_approve(RequestKind.VERIFICATION)
def link_the_parent(
    db: Session, request: Request, actor: User, now: datetime, data: Mapping[str, Any]
) -> None:
    patient = db.get(Patient, data.get("patient_id") or request.patient_id or 0)
    if patient is None:
        raise NoRecordChosen("no record chosen for the verification")
    refusal = link_refusal(request, patient, today=data["today"], guardian_age=data["guardian_age"])
    if refusal is not None:
        raise LinkRefused(refusal)
    request.patient_id = patient.id
    link_patient(
        db,
        request.requester,
        patient,
        relationship=relationship_of(request),
        method=LinkMethod.MANUAL,
        today=data["today"],
        guardian_age=data["guardian_age"],
    )
