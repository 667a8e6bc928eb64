"""Which access events an alert is about, and when an account may get one (plain functions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from portal.registry import AccessAction, AccessEvent, AccessOutcome
from portal.registry.patients import Patient

# An organization "opens" a record when a query is answered with it, or when it checks a
# printout of it at /verify. Refusals, lists of candidates (PID only), the organization's own
# submissions and the help desk's views are in the "who looked" list but send no email.
OPENING_ACTIONS = frozenset({AccessAction.QUERY, AccessAction.VERIFY})

# Events are looked at only once they are this old: an event is written in the transaction of
# the request that made it, so by then every event up to that moment has committed, and a
# stretch once looked at never gains a late event.
SETTLE = timedelta(minutes=2)


def opens_record(action: AccessAction, outcome: AccessOutcome, organization_id: int | None,
                 owner_org_id: int | None) -> bool:  # fmt: skip
    """Whether this event is an organization other than the owner opening the record."""
    return (
        outcome is AccessOutcome.ALLOWED
        and action in OPENING_ACTIONS
        and organization_id is not None
        and organization_id != owner_org_id
    )


def opens_record_sql() -> sa.ColumnElement[bool]:
    """`opens_record` as a condition on AccessEvent joined to its Patient (the tests hold
    the two to the same table)."""
    return sa.and_(
        AccessEvent.outcome == AccessOutcome.ALLOWED,
        AccessEvent.action.in_(sorted(OPENING_ACTIONS)),
        AccessEvent.organization_id.is_not(None),
        sa.or_(Patient.owner_org_id.is_(None), AccessEvent.organization_id != Patient.owner_org_id),
    )


def window_end(now: datetime) -> datetime:
    """The end of the stretch a run may look at."""
    return now - SETTLE


def may_send(last_sent_on: Iterable[date | None], today: date) -> bool:
    """At most one email a day per account: none of its opt-ins was emailed today."""
    return all(day is None or day < today for day in last_sent_on)
