"""Taking actions on a request: one conditional UPDATE, so two agents never both win."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.requests import effects
from portal.requests.models import Request, RequestEvent, RequestKind, RequestStatus
from portal.requests.rules import IllegalTransition, RequestAction
from portal.requests.services import NotYours, StaleRequest, request_for, take_action

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
A = RequestAction


@pytest.fixture
def second(app):  # type: ignore[no-untyped-def]
    """The session of a second request running at the same time."""
    session = app.extensions["portal.db"]()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def family(make):  # type: ignore[no-untyped-def]
    return make.user()


@pytest.fixture
def agents(make):  # type: ignore[no-untyped-def]
    return make.user(role=Role.AGENT), make.user(role=Role.AGENT)


def new_request(db, family, kind=RequestKind.LOCK) -> Request:  # type: ignore[no-untyped-def]
    request = Request(kind=kind, requester=family, created_at=NOW, updated_at=NOW)
    db.add(request)
    db.commit()
    return request


def timeline(db, request) -> list[tuple[str, RequestStatus, bool]]:  # type: ignore[no-untyped-def]
    db.expire_all()
    rows = db.scalars(
        sa.select(RequestEvent)
        .where(RequestEvent.request_id == request.id)
        .order_by(RequestEvent.id)
    )
    return [(e.action, e.status, e.public) for e in rows]


def test_a_claim_assigns_moves_and_writes_the_timeline(db, family, agents) -> None:
    request = new_request(db, family)
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    db.commit()

    db.expire_all()
    assert (request.status, request.assignee_id, request.version) == (
        RequestStatus.IN_REVIEW, agents[0].id, 2,
    )  # fmt: skip
    assert timeline(db, request) == [("claim", RequestStatus.IN_REVIEW, True)]


def test_two_agents_claiming_at_once_one_wins_and_the_other_changes_nothing(
    db, second, family, agents
) -> None:
    request = new_request(db, family)
    theirs = second.get(Request, request.id)  # the second agent's page read it too
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    db.commit()

    with pytest.raises(StaleRequest):
        take_action(
            second, theirs, A.CLAIM, actor=second.get(type(agents[1]), agents[1].id), now=NOW
        )
    second.rollback()

    db.expire_all()
    assert request.assignee_id == agents[0].id
    assert [a for a, _s, _p in timeline(db, request)] == ["claim"]


def test_a_stale_form_is_refused_even_for_a_move_the_table_allows(db, family, agents) -> None:
    request = new_request(db, family)
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    db.commit()
    shown = request.version  # the agent's page
    take_action(db, request, A.ASK_INFO, actor=agents[0], note="Which clinic?", now=NOW)
    take_action(db, request, A.ANSWER, actor=family, note="Valley Clinic", now=NOW)
    db.commit()

    with pytest.raises(StaleRequest):
        take_action(db, request, A.REJECT, actor=agents[0], note="no", now=NOW, seen_version=shown)
    db.rollback()
    assert request.status == RequestStatus.IN_REVIEW


def test_a_family_acts_only_on_its_own_requests(db, make, family) -> None:
    stranger = make.user()
    request = new_request(db, family)

    with pytest.raises(NotYours):
        take_action(db, request, A.WITHDRAW, actor=stranger, now=NOW)
    assert request_for(db, stranger, request.id) is None
    assert request_for(db, family, request.id) is request

    take_action(db, request, A.WITHDRAW, actor=family, now=NOW)
    db.commit()
    db.expire_all()
    assert request.status == RequestStatus.WITHDRAWN
    assert request.closed_at is not None


def test_an_agent_cannot_work_a_request_another_agent_holds_but_a_supervisor_can(
    db, make, family, agents
) -> None:
    request = new_request(db, family)
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    db.commit()

    with pytest.raises(NotYours):
        take_action(db, request, A.REJECT, actor=agents[1], note="no", now=NOW)
    take_action(db, request, A.NOTE, actor=agents[1], note="family phoned", now=NOW)  # notes: any
    supervisor = make.user(role=Role.SUPERVISOR)
    take_action(db, request, A.REJECT, actor=supervisor, note="Not on file", now=NOW)
    db.commit()
    assert [(a, p) for a, _s, p in timeline(db, request)] == [
        ("claim", True), ("note", False), ("reject", True),
    ]  # fmt: skip


def test_an_illegal_move_writes_nothing(db, family, agents) -> None:
    request = new_request(db, family)
    with pytest.raises(IllegalTransition):
        take_action(db, request, A.APPROVE, actor=agents[0], now=NOW)
    db.commit()
    assert timeline(db, request) == []
    assert request.status == RequestStatus.SUBMITTED


def test_approval_runs_the_effect_its_kind_registered(db, family, agents, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(effects, "_ON_APPROVE", {})
    effects.on_approve(RequestKind.LOCK)(lambda db, req, actor, now, data: seen.append(data))
    request = new_request(db, family)
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    take_action(db, request, A.APPROVE, actor=agents[0], now=NOW, data={"effective": "2026-12-01"})

    assert seen == [{"effective": "2026-12-01"}]
    assert request.status == RequestStatus.APPROVED


def test_a_kind_without_an_effect_cannot_be_approved(db, family, agents, monkeypatch) -> None:
    monkeypatch.setattr(effects, "_ON_APPROVE", {})
    request = new_request(db, family, RequestKind.CORRECTION)
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    with pytest.raises(LookupError):
        take_action(db, request, A.APPROVE, actor=agents[0], now=NOW)


def test_one_effect_per_kind(monkeypatch) -> None:
    monkeypatch.setattr(effects, "_ON_APPROVE", {})
    effects.on_approve(RequestKind.UNLOCK)(lambda *a: None)
    with pytest.raises(RuntimeError):
        effects.on_approve(RequestKind.UNLOCK)(lambda *a: None)


def test_every_staff_step_is_in_the_audit_trail_and_the_familys_are_not(db, family, agents):
    from portal.audit.models import AuditEntry

    request = new_request(db, family)
    take_action(db, request, A.CLAIM, actor=agents[0], now=NOW)
    take_action(db, request, A.ASK_INFO, actor=agents[0], note="Which clinic?", now=NOW)
    take_action(db, request, A.ANSWER, actor=family, note="Valley Clinic", now=NOW)
    db.commit()

    entries = db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("request.claimed", agents[0].id),
        ("request.transition", agents[0].id),
    ]
    assert entries[1].after == {"status": "needs_info", "action": "ask_info"}
