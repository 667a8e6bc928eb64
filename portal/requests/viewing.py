"""Who on the help desk has a request open: one row per agent and request, with a time.

The request page (`/staff/requests/<id>`) calls `note_viewing` each time it is opened;
the queue shows "being viewed by" for another agent's view of the last few minutes, so
two agents do not both start reading the same request. Nothing here is an audit record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.accounts.models import User
from portal.orm import Base

from .models import Request

# How long an open request counts as "being viewed" without the page being opened again.
VIEWING_WINDOW = timedelta(minutes=5)


class RequestView(Base):
    __tablename__ = "request_views"

    request_id: Mapped[int] = mapped_column(sa.ForeignKey("requests.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    seen_at: Mapped[datetime]


def note_viewing(db: Session, request: Request, staff: User, now: datetime) -> None:
    """Record that `staff` has `request` open now (call it from the request's page)."""
    update = (
        sa.update(RequestView)
        .where(RequestView.request_id == request.id, RequestView.staff_id == staff.id)
        .values(seen_at=now)
    )
    if db.execute(update, execution_options={"synchronize_session": False}).rowcount:
        return
    try:
        with db.begin_nested():  # the same agent in two tabs may insert at once
            db.add(RequestView(request_id=request.id, staff_id=staff.id, seen_at=now))
    except IntegrityError:
        db.execute(update, execution_options={"synchronize_session": False})


def viewers(
    db: Session, request_ids: Iterable[int], *, besides: User, now: datetime
) -> dict[int, list[str]]:
    """For each request, the names of the other staff who had it open in the window."""
    ids = list(request_ids)
    if not ids:
        return {}
    rows = db.execute(
        sa.select(RequestView.request_id, User.full_name, User.email)
        .join(User, User.id == RequestView.staff_id)
        .where(
            RequestView.request_id.in_(ids),
            RequestView.staff_id != besides.id,
            RequestView.seen_at >= now - VIEWING_WINDOW,
        )
        .order_by(RequestView.seen_at.desc())
    )
    found: dict[int, list[str]] = {}
    for request_id, name, email in rows:
        found.setdefault(request_id, []).append(name or email)
    return found
