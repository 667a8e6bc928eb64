"""What the family's "My requests" page reads: its own requests and their public timeline."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from portal.accounts.models import Role, User

from . import rules
from .models import Request, RequestEvent
from .rules import RequestAction
from .services import request_for


@dataclass(frozen=True)
class MyRequest:
    request: Request
    about: str  # whose record, in the family's own words
    timeline: tuple[RequestEvent, ...]  # public entries only, oldest first
    actions: tuple[RequestAction, ...]  # what the family may do now (rules.actions_for)


def own_request(db: Session, user: User, request_id: int) -> Request | None:
    """The request if the user filed it; anyone else's (or none) is None, answered as 404."""
    request = request_for(db, user, request_id)
    if request is None or request.requester_id != user.id:
        return None
    return request


def public_timeline(request: Request) -> tuple[RequestEvent, ...]:
    return tuple(event for event in request.events if event.public)


def question(request: Request) -> str | None:
    """The help desk's latest question, which an answer replies to."""
    asked = [e for e in request.events if e.public and e.action == RequestAction.ASK_INFO.value]
    return asked[-1].note if asked else None


def _about(request: Request) -> str:
    if request.patient is not None:
        return request.patient.full_name
    details = request.details or {}
    return " ".join(p for p in (details.get("first_name"), details.get("last_name")) if p)


def my_requests(db: Session, user: User) -> list[MyRequest]:
    requests = db.scalars(
        sa.select(Request)
        .where(Request.requester_id == user.id)
        .options(selectinload(Request.events), selectinload(Request.patient))
        .order_by(Request.created_at.desc(), Request.id.desc())
    )
    return [
        MyRequest(
            request=r,
            about=_about(r),
            timeline=public_timeline(r),
            actions=tuple(rules.actions_for(r.status, Role.PARENT)),
        )
        for r in requests
    ]
