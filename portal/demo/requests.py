"""The demo's help-desk work: requests of every kind and status, some overdue, some
claimed by the agent or the supervisor and some waiting, so the queue has a day's work.

Each request's timeline is walked through `requests.rules.apply`, so what the demo
stores is a life the transition table allows. Approval effects are not run: the
approved requests are ones whose outcome the demo data already shows (Sofía's record
has been locked since spring; the parent is linked to both children). Every staff step
is appended to the audit trail through `audit.record`, as `services.take_action` does,
oldest first, so the chain is a real one (`portal audit verify` passes) and the
supervisor's audit page has the help desk's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.registry import Patient
from portal.requests import rules
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus

from . import featured

A = rules.RequestAction
K = RequestKind

# Who acts: the family that asked, or one of the two demo staff accounts.
FAMILY, AGENT, SUPERVISOR = "family", "agent", "supervisor"
STAFF_EMAILS = {AGENT: "agent@demo.example", SUPERVISOR: "supervisor@demo.example"}


@dataclass(frozen=True)
class DemoRequest:
    kind: RequestKind
    requester: str  # the family account's email
    registry_id: str | None  # None: a verification whose record is not found yet
    days_old: float
    steps: tuple[tuple[rules.RequestAction, str, str | None], ...] = ()  # action, who, note
    details: dict[str, Any] | None = None
    # A verification's child as the family typed it: first and last name, age in days
    # (the birth date follows the demo's day), relationship.
    child: tuple[str, str, int, str] | None = None


P, D = featured.PARENT_EMAIL, featured.PATIENT_EMAIL
WAITING = "Waiting for the birth certificate's second page."

DEMO_REQUESTS: tuple[DemoRequest, ...] = (
    # Waiting in the queue, not claimed. Mateo's record has no open lock or unlock, so the
    # demo parent can still ask for one (one open lock/unlock per record).
    DemoRequest(K.CORRECTION, P, featured.MATEO, 1.5,
                details={"summary": "The second MMR dose date is a month off."}),
    DemoRequest(K.VERIFICATION, P, None, 2.2,
                details={"summary": "Birth certificate for a newborn, not yet in the list."},
                child=("Elena", "Rodríguez-Morales", 9, "parent")),
    # Waiting and overdue: past the target of its kind in working days.
    DemoRequest(K.LOCK, D, featured.DANIELLE, 9),
    DemoRequest(K.VERIFICATION, D, None, 12,
                details={"summary": "Custody order for a nephew."},
                child=("Julián", "Okafor", 2210, "guardian")),
    DemoRequest(K.CORRECTION, D, featured.DANIELLE, 24,
                details={"summary": "A flu shot listed twice in October."}),
    # Claimed and being worked.
    DemoRequest(K.UNLOCK, P, featured.SOFIA, 1, ((A.CLAIM, AGENT, None),)),
    DemoRequest(K.CORRECTION, P, featured.SOFIA, 4, ((A.CLAIM, SUPERVISOR, None),),
                details={"summary": "The street address is the old one."}),
    DemoRequest(K.VERIFICATION, P, None, 15, ((A.CLAIM, AGENT, None),),
                details={"summary": "Adoption decree."},
                child=("Amara", "Rodríguez-Morales", 1450, "parent")),
    DemoRequest(K.CORRECTION, D, featured.DANIELLE, 6,
                ((A.CLAIM, AGENT, None), (A.ASK_INFO, AGENT, "Please send a photo of the "
                 "paper card that shows the Tdap dose.")),
                details={"summary": "A Tdap dose from 2015 is missing."}),
    DemoRequest(K.VERIFICATION, P, None, 8,
                ((A.CLAIM, AGENT, None), (A.ASK_INFO, AGENT, WAITING)),
                details={"summary": "Birth certificate, first page only."},
                child=("Tomás", "Rodríguez-Morales", 600, "parent")),
    # Closed.
    DemoRequest(K.LOCK, P, featured.SOFIA, 245,
                ((A.CLAIM, SUPERVISOR, None), (A.APPROVE, SUPERVISOR, None))),
    DemoRequest(K.CORRECTION, P, featured.MATEO, 40,
                ((A.CLAIM, AGENT, None), (A.REJECT, AGENT, "The clinic confirmed the date "
                 "on the record is the date the dose was given.")),
                details={"summary": "The hepatitis B date looks wrong."}),
    DemoRequest(K.UNLOCK, P, featured.SOFIA, 60, ((A.WITHDRAW, FAMILY, None),)),
)  # fmt: skip


def seed_requests(session: Session, now: datetime) -> int:
    """Add the demo's requests once; a rerun (their requesters have requests) adds none."""
    users = {u.email: u for u in session.scalars(sa.select(User))}
    families = [users[e] for e in (P, D) if e in users]
    if not families or session.scalar(
        sa.select(sa.func.count())
        .select_from(Request)
        .where(Request.requester_id.in_([u.id for u in families]))
    ):
        return 0
    patients = dict(
        session.execute(
            sa.select(Patient.registry_id, Patient.id).where(
                Patient.registry_id.in_({r.registry_id for r in DEMO_REQUESTS if r.registry_id})
            )
        ).all()
    )
    staff = {who: users[email] for who, email in STAFF_EMAILS.items()}
    trail: list[StaffStep] = []
    for spec in DEMO_REQUESTS:
        trail.extend(_add(session, spec, users[spec.requester], staff, patients, now))
    for step in sorted(trail, key=lambda s: (s.at, s.request.id)):
        audit.record(
            session,
            actor=step.actor,
            action=(
                audit.AuditAction.REQUEST_CLAIMED
                if step.action is A.CLAIM
                else audit.AuditAction.REQUEST_TRANSITION
            ),
            patient=step.request.patient,
            request=step.request,
            subject=step.request,
            before={"status": step.before.value},
            after={"status": step.after.value, "action": step.action.value},
            now=step.at,
        )
    session.flush()
    return len(DEMO_REQUESTS)


@dataclass(frozen=True)
class StaffStep:
    """One staff step of a demo request, for the audit trail (written in time order)."""

    at: datetime
    actor: User
    action: rules.RequestAction
    request: Request
    before: RequestStatus
    after: RequestStatus


def _add(
    session: Session,
    spec: DemoRequest,
    family: User,
    staff: dict[str, User],
    patients: dict[str, int],
    now: datetime,
) -> list[StaffStep]:
    created = now - timedelta(days=spec.days_old)
    # The life is walked first, so the row goes in with its final status: an open lock or
    # unlock is unique per record, and a closed one must not count as open on the way.
    steps = [(created, family.id, "submitted", RequestStatus.SUBMITTED, None, True)]
    status, version, at = RequestStatus.SUBMITTED, 1, created
    assignee_id, closed_at = None, None
    staff_steps: list[tuple[datetime, User, rules.RequestAction, RequestStatus, RequestStatus]] = []
    gap = timedelta(days=spec.days_old) / (len(spec.steps) + 1)
    for action, who, note in spec.steps:
        actor = family if who == FAMILY else staff[who]
        at += gap
        step = rules.apply(status, action, role=actor.role, actor_id=actor.id, note=note, now=at)
        steps.append((at, actor.id, action.value, step.status, step.note, step.public))
        if who != FAMILY:
            staff_steps.append((at, actor, action, status, step.status))
        if action is A.CLAIM:
            assignee_id = actor.id
        if action is A.RELEASE:
            assignee_id = None
        if step.closes:
            closed_at = at
        status = step.status
        version += step.changes_status or action is A.CLAIM
    request = Request(
        kind=spec.kind,
        requester_id=family.id,
        patient_id=patients.get(spec.registry_id) if spec.registry_id else None,
        details=_details(spec, now),
        status=status,
        assignee_id=assignee_id,
        closed_at=closed_at,
        created_at=created,
        updated_at=at,
    )
    session.add(request)
    session.flush()
    session.add_all(
        RequestEvent(request_id=request.id, at=when, actor_id=actor_id, action=action,
                     status=after, note=note, public=public)
        for when, actor_id, action, after, note, public in steps
    )  # fmt: skip
    session.flush()
    # The mapper's version counter counted our flushes; set the one take_action would have.
    session.execute(
        sa.update(Request).where(Request.id == request.id).values(version=version),
        execution_options={"synchronize_session": False},
    )
    return [StaffStep(when, actor, action, request, before, after)
            for when, actor, action, before, after in staff_steps]  # fmt: skip


def _details(spec: DemoRequest, now: datetime) -> dict[str, Any]:
    """What the family's form would have stored: a verification names the child as typed."""
    details = dict(spec.details or {})
    if spec.child is not None:
        first, last, age_days, relationship = spec.child
        born = now.date() - timedelta(days=age_days)
        details.update(first_name=first, middle_name="", last_name=last,
                       birth_date=born.isoformat(), relationship=relationship, note="")  # fmt: skip
    return details
