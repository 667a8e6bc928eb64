"""The demo's help-desk work: every kind and status, overdue ones, claimed and waiting,
each timeline a life the transition table allows; a rerun adds nothing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.demo.dataset import build_dataset
from portal.demo.loader import load_demo
from portal.demo.requests import seed_requests
from portal.orm import utcnow
from portal.requests import rules, workdays
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus
from tests.conftest import SECRET


@pytest.fixture
def seeded(db: Session) -> list[Request]:
    load_demo(db, build_dataset(date.today()), link_age=18, secret_key=SECRET)
    assert seed_requests(db, utcnow()) > 0
    db.commit()
    db.expire_all()
    return list(db.scalars(sa.select(Request).order_by(Request.id)))


def test_every_kind_and_status_some_overdue_some_claimed(seeded) -> None:
    assert {r.kind for r in seeded} == set(RequestKind)
    assert {r.status for r in seeded} == set(RequestStatus)
    now = utcnow()
    open_ = [r for r in seeded if rules.is_open(r.status)]
    overdue = [r for r in open_ if workdays.is_overdue(r.kind, r.created_at, now)]
    assert len(overdue) >= 3 and len(open_) - len(overdue) >= 3
    assert any(r.assignee_id is None and r.status is RequestStatus.SUBMITTED for r in open_)
    assert {r.assignee.email for r in open_ if r.assignee} == {
        "agent@demo.example",
        "supervisor@demo.example",
    }
    assert all((r.closed_at is None) == rules.is_open(r.status) for r in seeded)


def test_each_timeline_ends_where_the_request_is(db: Session, seeded) -> None:
    for request in seeded:
        events = db.scalars(
            sa.select(RequestEvent).where(RequestEvent.request_id == request.id)
            .order_by(RequestEvent.id)
        ).all()  # fmt: skip
        assert events[0].action == "submitted"  # as submit.py and linking write it
        assert events[-1].status == request.status
        moves = [
            after for before, after in zip(events, events[1:], strict=False)
            if after.action == "claim" or after.status != before.status
        ]  # fmt: skip
        assert request.version == 1 + len(moves), request.id
        held = [e for e in events if e.action == "claim"]
        assert (request.assignee_id is not None) == bool(held) or not rules.is_open(request.status)


def test_a_rerun_adds_none(db: Session, seeded) -> None:
    assert seed_requests(db, utcnow()) == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(Request)) == len(seeded)


def test_the_demo_parent_can_still_ask_for_a_lock(db: Session, seeded) -> None:
    """The README's "As the parent, open a record and Lock or unlock this record": one of the
    parent's children has no open lock or unlock, so the form is there, not "already open"."""
    from portal.accounts.models import User
    from portal.demo import featured
    from portal.linking.models import PatientLink
    from portal.registry import Patient
    from portal.requests.submit import pending_sharing_request

    children = db.scalars(
        sa.select(Patient)
        .join(PatientLink, PatientLink.patient_id == Patient.id)
        .join(User, User.id == PatientLink.user_id)
        .where(User.email == featured.PARENT_EMAIL)
    ).all()
    assert len(children) == 4  # Sofía, Mateo, and the baby and toddler of "what is due"
    free = [c for c in children if pending_sharing_request(db, c) is None]
    assert sorted(c.registry_id for c in free) == sorted(
        [featured.MATEO, featured.LUCAS, featured.CAMILA]
    )  # Sofía's unlock request is open
    assert all(c.shared for c in free)  # so the parent asks for a lock


def test_a_verification_names_the_child_as_the_form_would(seeded) -> None:
    """My records lists the family's verifications by the child's name and birth date."""
    verifications = [r for r in seeded if r.kind is RequestKind.VERIFICATION]
    assert verifications
    today = utcnow().date()
    for request in verifications:
        d = request.details
        assert d["first_name"] and d["last_name"] and d["relationship"] in {"parent", "guardian"}
        assert date.fromisoformat(d["birth_date"]) < today
