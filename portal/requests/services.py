"""Taking an action on a request: one conditional UPDATE, one timeline entry, one transaction.

The status moves with a statement that names the status and version the actor saw
(`WHERE id = :id AND version = :seen AND status = :before`, and for a claim
`AND assignee_id IS NULL`), so two agents acting at once cannot both succeed: the
second gets `StaleRequest` and changes nothing. Services only flush; the request (or
command) commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import Role, User

from . import effects, notify, rules
from .models import Request, RequestEvent
from .rules import RequestAction


class StaleRequest(Exception):  # noqa: N818 - reads as the situation
    """Someone else acted on the request first; nothing was changed."""


class NotYours(Exception):  # noqa: N818
    """The request is not this family's, or a claimed request is another agent's."""


def request_for(db: Session, user: User, request_id: int) -> Request | None:
    """The request if this user may see it: the family its own, staff any; else None."""
    request = db.get(Request, request_id)
    if request is None:
        return None
    if user.role in rules.STAFF_ROLES or request.requester_id == user.id:
        return request
    return None


def _check_actor(request: Request, actor: User, action: RequestAction) -> None:
    if actor.role in rules.FAMILY_ROLES:
        if request.requester_id != actor.id:
            raise NotYours()
        return
    # A claimed request is worked by its assignee; a supervisor may step in.
    held_by_other = request.assignee_id not in (None, actor.id)
    if held_by_other and action is not RequestAction.NOTE and actor.role != Role.SUPERVISOR:
        raise NotYours()


def take_action(
    db: Session,
    request: Request,
    action: RequestAction,
    *,
    actor: User,
    note: str | None = None,
    now: datetime,
    seen_version: int | None = None,
    data: Mapping[str, Any] | None = None,
) -> RequestEvent:
    """Move `request` by `action` (rules.apply decides whether it may), write the timeline
    entry, and on approval run the kind's registered effect, all in the caller's transaction.

    `seen_version` is the version the actor's page showed (a stale form fails here);
    without it the version just read is used.
    """
    _check_actor(request, actor, action)
    step = rules.apply(
        request.status, action, role=actor.role, actor_id=actor.id, note=note, now=now
    )
    seen = request.version if seen_version is None else seen_version
    values: dict[str, Any] = {"status": step.status, "version": Request.version + 1}
    values["updated_at"] = now
    if step.closes:
        values["closed_at"] = now
    where = [
        Request.id == request.id,
        Request.version == seen,
        Request.status == step.status_before,
    ]
    if action is RequestAction.CLAIM:
        values["assignee_id"] = actor.id
        where.append(Request.assignee_id.is_(None))
    elif action is RequestAction.RELEASE:
        values["assignee_id"] = None
    if step.changes_status or action is RequestAction.CLAIM:
        result = db.execute(
            sa.update(Request).where(*where).values(**values),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount != 1:
            raise StaleRequest()
        db.expire(request)
    elif request.version != seen:
        raise StaleRequest()
    event = RequestEvent(
        request_id=request.id,
        at=step.at,
        actor_id=step.actor_id,
        action=step.action.value,
        status=step.status,
        note=step.note,
        public=step.public,
    )
    db.add(event)
    if actor.role in rules.STAFF_ROLES:  # every staff step is in the audit trail
        audit.record(
            db,
            actor=actor,
            action=(
                audit.AuditAction.REQUEST_CLAIMED
                if action is RequestAction.CLAIM
                else audit.AuditAction.REQUEST_TRANSITION
            ),
            patient=request.patient,
            request=request,
            subject=request,
            before={"status": step.status_before.value},
            after={"status": step.status.value, "action": action.value},
            now=now,
        )
    if action is RequestAction.APPROVE:
        effects.run_approval(db, request, actor, now, data or {})
    if step.changes_status and step.public:  # a release back to the queue is not news
        notify.status_changed(db, request, step.status)
    db.flush()
    return event
