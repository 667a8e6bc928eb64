"""The help desk's queue: which requests a filter shows, oldest first, a page at a time,
and "take the next" (claim the oldest waiting request no other agent is claiming).

Plain queries over a Session; the views validate the filter and call these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from portal.accounts.models import User
from portal.registry.patients import Patient

from . import rules, workdays
from .models import OPEN_STATUSES, Request, RequestKind, RequestStatus
from .services import NotYours, StaleRequest, take_action
from .viewing import viewers

PAGE_SIZE = 50
# Oldest candidates "take the next" tries before saying the queue is empty (SQLite, or a
# PostgreSQL race lost between the locked read and the claim).
TAKE_NEXT_TRIES = 5


class Assignee(StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ANYONE = "anyone"


class Age(StrEnum):
    ANY = "any"
    OVERDUE = "overdue"
    OVER_7_DAYS = "7"
    OVER_30_DAYS = "30"


@dataclass(frozen=True)
class QueueFilter:
    kind: RequestKind | None = None
    status: RequestStatus | None = None  # None: every open status
    assignee: Assignee = Assignee.ANYONE
    age: Age = Age.ANY


@dataclass(frozen=True)
class QueueRow:
    id: int
    kind: RequestKind
    status: RequestStatus
    version: int
    created_at: datetime
    submitted: date  # the office's date of created_at
    due: date
    overdue: bool
    assignee_id: int | None
    assignee_name: str | None
    registry_id: str | None
    viewed_by: tuple[str, ...]
    claimable: bool


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    next_after: int | None  # the id to continue after, or None on the last page


def overdue_clause(now: datetime) -> sa.ColumnElement[bool]:
    """The queue's overdue rule as a WHERE clause (figures.py counts with it too)."""
    return sa.or_(
        *(
            sa.and_(Request.kind == kind, Request.created_at < workdays.overdue_before(kind, now))
            for kind in RequestKind
        )
    )


def _where(staff: User, filters: QueueFilter, now: datetime) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if filters.status is None:
        where.append(Request.status.in_(OPEN_STATUSES))
    else:
        where.append(Request.status == filters.status)
    if filters.kind is not None:
        where.append(Request.kind == filters.kind)
    if filters.assignee is Assignee.MINE:
        where.append(Request.assignee_id == staff.id)
    elif filters.assignee is Assignee.UNASSIGNED:
        where.append(Request.assignee_id.is_(None))
    if filters.age is Age.OVERDUE:
        where.append(overdue_clause(now))
    elif filters.age is not Age.ANY:
        where.append(Request.created_at < now - timedelta(days=int(filters.age.value)))
    return where


def queue_page(
    db: Session, staff: User, filters: QueueFilter, *, now: datetime, after: int | None = None
) -> QueuePage:
    """One page of the queue, oldest first; `after` is the last id of the page before
    (keyset paging on created_at and id, so a deep page costs what the first does)."""
    assignee = aliased(User)
    query = (
        sa.select(Request, assignee.full_name, assignee.email, Patient.registry_id)
        .outerjoin(assignee, assignee.id == Request.assignee_id)
        .outerjoin(Patient, Patient.id == Request.patient_id)
        .where(*_where(staff, filters, now))
        .order_by(Request.created_at, Request.id)
        .limit(PAGE_SIZE + 1)
    )
    if after is not None:
        last = db.execute(
            sa.select(Request.created_at, Request.id).where(Request.id == after)
        ).first()
        if last is not None:
            query = query.where(sa.tuple_(Request.created_at, Request.id) > tuple(last))
    found = db.execute(query).all()
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    seen = viewers(db, (r.Request.id for r in found), besides=staff, now=now)
    rows = [_row(r, staff, now, seen.get(r.Request.id, [])) for r in found]
    return QueuePage(rows, rows[-1].id if more and rows else None)


def _row(found: sa.Row, staff: User, now: datetime, seen: list[str]) -> QueueRow:  # type: ignore[type-arg]
    request: Request = found.Request
    claimable = request.assignee_id is None and rules.RequestAction.CLAIM in rules.actions_for(
        request.status, staff.role
    )
    return QueueRow(
        id=request.id,
        kind=request.kind,
        status=request.status,
        version=request.version,
        created_at=request.created_at,
        submitted=workdays.office_date(request.created_at),
        due=workdays.due_date(request.kind, request.created_at),
        overdue=workdays.is_overdue(request.kind, request.created_at, now),
        assignee_id=request.assignee_id,
        assignee_name=(found.full_name or found.email) if request.assignee_id else None,
        registry_id=found.registry_id,
        viewed_by=tuple(seen),
        claimable=claimable,
    )


def take_next(
    db: Session, staff: User, *, now: datetime, kind: RequestKind | None = None
) -> Request | None:
    """Claim the oldest unclaimed submitted request (of `kind`), or None when there is none.

    On PostgreSQL the candidate row is read `FOR UPDATE SKIP LOCKED`: an agent never waits
    for, nor takes, the row another agent is claiming at that moment. SQLite has no row
    locks (SQLAlchemy leaves the clause out there); the claim itself is conditional
    (`take_action`), so a lost race raises StaleRequest and the next candidate is tried.
    """
    tried: list[int] = []
    for _ in range(TAKE_NEXT_TRIES):
        query = (
            sa.select(Request)
            .where(Request.status == RequestStatus.SUBMITTED, Request.assignee_id.is_(None))
            .order_by(Request.created_at, Request.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=Request)
            .execution_options(populate_existing=True)
        )
        if kind is not None:
            query = query.where(Request.kind == kind)
        if tried:
            query = query.where(Request.id.not_in(tried))
        request = db.scalars(query).first()
        if request is None:
            return None
        try:
            take_action(db, request, rules.RequestAction.CLAIM, actor=staff, now=now)
        except (StaleRequest, NotYours):
            tried.append(request.id)
            continue
        return request
    return None
