"""What an approved lock or unlock does: the record's sharing status and its effective date.

Registered with effects.on_approve, so the change happens in the approving transaction:
the request is approved and the record locked (or unlocked) together, or neither.
The effective date is the approval's day in the registry's time zone (policy rule 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.registry.patients import Patient

from .effects import on_approve
from .models import Request, RequestKind

REGISTRY_ZONE = ZoneInfo("America/Los_Angeles")  # config's BABEL_DEFAULT_TIMEZONE


def local_day(now: datetime, zone: ZoneInfo = REGISTRY_ZONE) -> date:
    return now.astimezone(zone).date()


def set_sharing(patient: Patient, *, shared: bool, now: datetime) -> None:
    patient.shared = shared
    patient.sharing_effective_on = local_day(now)


def _patient(db: Session, request: Request) -> Patient:
    patient = db.get(Patient, request.patient_id) if request.patient_id else None
    if patient is None:
        raise LookupError("a lock or unlock request names no record")
    return patient


@on_approve(RequestKind.LOCK)
def lock(
    db: Session, request: Request, actor: User, now: datetime, data: Mapping[str, Any]
) -> None:
    set_sharing(_patient(db, request), shared=False, now=now)


@on_approve(RequestKind.UNLOCK)
def unlock(
    db: Session, request: Request, actor: User, now: datetime, data: Mapping[str, Any]
) -> None:
    set_sharing(_patient(db, request), shared=True, now=now)
