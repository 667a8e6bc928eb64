"""A request's life as one table: which action moves which status where, and who may take it.

Plain functions, no Flask and no database: the services persist what `apply` returns,
and views never compare statuses themselves. The life of every request kind is the same:

    submitted -> in review -> needs information <-> in review -> approved / rejected
    withdrawn by the family while the request is open

A note is a staff-only remark that changes nothing; a release hands a claimed request
back to the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from portal.accounts.models import STAFF_ROLES, Role

from .models import OPEN_STATUSES, RequestKind, RequestStatus

__all__ = [
    "FAMILY_ROLES",
    "STAFF_ROLES",
    "TRANSITIONS",
    "IllegalTransition",
    "RequestAction",
    "RequestKind",
    "RequestStatus",
    "Step",
    "actions_for",
    "apply",
    "is_open",
    "next_status",
    "who_may",
]


class RequestAction(StrEnum):
    CLAIM = "claim"  # an agent takes the request from the queue
    RELEASE = "release"  # ... and gives it back unfinished
    ASK_INFO = "ask_info"  # the help desk needs something from the family
    ANSWER = "answer"  # the family answers that question
    APPROVE = "approve"
    REJECT = "reject"  # with a reason the family sees
    WITHDRAW = "withdraw"  # the family no longer wants it
    NOTE = "note"  # a staff-only remark; the status stays


FAMILY_ROLES = frozenset({Role.PARENT})

# (status, action) -> the status after it. Anything missing is refused.
TRANSITIONS: dict[tuple[RequestStatus, RequestAction], RequestStatus] = {
    (RequestStatus.SUBMITTED, RequestAction.CLAIM): RequestStatus.IN_REVIEW,
    (RequestStatus.IN_REVIEW, RequestAction.RELEASE): RequestStatus.SUBMITTED,
    (RequestStatus.IN_REVIEW, RequestAction.ASK_INFO): RequestStatus.NEEDS_INFO,
    (RequestStatus.NEEDS_INFO, RequestAction.ANSWER): RequestStatus.IN_REVIEW,
    (RequestStatus.IN_REVIEW, RequestAction.APPROVE): RequestStatus.APPROVED,
    (RequestStatus.IN_REVIEW, RequestAction.REJECT): RequestStatus.REJECTED,
    **{(status, RequestAction.WITHDRAW): RequestStatus.WITHDRAWN for status in OPEN_STATUSES},
    **{(status, RequestAction.NOTE): status for status in OPEN_STATUSES},
}

_WHO_MAY: dict[RequestAction, frozenset[Role]] = {
    RequestAction.CLAIM: STAFF_ROLES,
    RequestAction.RELEASE: STAFF_ROLES,
    RequestAction.ASK_INFO: STAFF_ROLES,
    RequestAction.ANSWER: FAMILY_ROLES,
    RequestAction.APPROVE: STAFF_ROLES,
    RequestAction.REJECT: STAFF_ROLES,
    RequestAction.WITHDRAW: FAMILY_ROLES,
    RequestAction.NOTE: STAFF_ROLES,
}

# Actions whose timeline entry the family does not see.
_STAFF_ONLY = frozenset({RequestAction.NOTE, RequestAction.RELEASE})
# Actions that must say why: the family reads the question or the reason.
_NEEDS_NOTE = frozenset({RequestAction.ASK_INFO, RequestAction.REJECT, RequestAction.NOTE})


class IllegalTransition(ValueError):  # noqa: N818 - reads as the situation
    """The table has no such move, or this role may not make it."""


@dataclass(frozen=True)
class Step:
    """What an action does to a request: its new status, and the timeline entry to write."""

    action: RequestAction
    status_before: RequestStatus
    status: RequestStatus
    actor_id: int | None
    note: str | None
    public: bool  # whether the family sees this entry on its timeline
    at: datetime

    @property
    def closes(self) -> bool:
        return self.status not in OPEN_STATUSES

    @property
    def changes_status(self) -> bool:
        return self.status != self.status_before


def who_may(action: RequestAction) -> frozenset[Role]:
    return _WHO_MAY[action]


def is_open(status: RequestStatus) -> bool:
    return status in OPEN_STATUSES


def next_status(status: RequestStatus, action: RequestAction) -> RequestStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(f"{action.value} is not possible from {status.value}") from None


def actions_for(status: RequestStatus, role: Role) -> list[RequestAction]:
    """What this role can do with a request in this status (for the buttons a page shows)."""
    return [
        action
        for action in RequestAction
        if (status, action) in TRANSITIONS and role in _WHO_MAY[action]
    ]


def apply(
    status: RequestStatus,
    action: RequestAction,
    *,
    role: Role,
    actor_id: int | None,
    note: str | None,
    now: datetime,
) -> Step:
    """The step `action` takes from `status`, or IllegalTransition.

    Whether the actor may touch *this* request (the family its own, staff any) is the
    service's check; this one is about the role and the table.
    """
    if role not in _WHO_MAY[action]:
        raise IllegalTransition(f"{role.value} may not {action.value}")
    after = next_status(status, action)
    note = (note or "").strip() or None
    if action in _NEEDS_NOTE and note is None:
        raise IllegalTransition(f"{action.value} needs a note")
    return Step(
        action=action,
        status_before=status,
        status=after,
        actor_id=actor_id,
        note=note,
        public=action not in _STAFF_ONLY,
        at=now,
    )
