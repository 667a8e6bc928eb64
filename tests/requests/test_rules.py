"""The request life table as plain functions: every legal move, every illegal one, and who."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from portal.accounts.models import Role
from portal.requests import rules
from portal.requests.rules import IllegalTransition, RequestAction, RequestStatus

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
S, A = RequestStatus, RequestAction

# The life the issue describes, written out once more by hand.
EXPECTED = {
    (S.SUBMITTED, A.CLAIM): S.IN_REVIEW,
    (S.IN_REVIEW, A.RELEASE): S.SUBMITTED,
    (S.IN_REVIEW, A.ASK_INFO): S.NEEDS_INFO,
    (S.NEEDS_INFO, A.ANSWER): S.IN_REVIEW,
    (S.IN_REVIEW, A.APPROVE): S.APPROVED,
    (S.IN_REVIEW, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.NEEDS_INFO, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.NOTE): S.SUBMITTED,
    (S.IN_REVIEW, A.NOTE): S.IN_REVIEW,
    (S.NEEDS_INFO, A.NOTE): S.NEEDS_INFO,
}
FAMILY_ACTIONS = {A.ANSWER, A.WITHDRAW}


def role_for(action: RequestAction) -> Role:
    return Role.PARENT if action in FAMILY_ACTIONS else Role.AGENT


@pytest.mark.parametrize(("status", "action"), sorted(EXPECTED))
def test_each_legal_move(status: RequestStatus, action: RequestAction) -> None:
    step = rules.apply(status, action, role=role_for(action), actor_id=7, note="because", now=NOW)
    assert step.status == EXPECTED[(status, action)]
    assert step.status_before == status
    assert (step.actor_id, step.note, step.at) == (7, "because", NOW)
    assert step.closes == (step.status in {S.APPROVED, S.REJECTED, S.WITHDRAWN})


ILLEGAL = [pair for pair in product(S, A) if pair not in EXPECTED]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_each_illegal_move_is_refused(status: RequestStatus, action: RequestAction) -> None:
    with pytest.raises(IllegalTransition):
        rules.apply(status, action, role=role_for(action), actor_id=1, note="x", now=NOW)


def test_the_table_is_exactly_the_life_described() -> None:
    assert rules.TRANSITIONS == EXPECTED
    assert len(ILLEGAL) == len(S) * len(A) - len(EXPECTED)


@pytest.mark.parametrize("action", list(A))
def test_only_the_right_roles_may_take_each_action(action: RequestAction) -> None:
    status = next(s for (s, a) in EXPECTED if a == action)
    allowed = {Role.PARENT} if action in FAMILY_ACTIONS else {Role.AGENT, Role.SUPERVISOR}
    assert rules.who_may(action) == allowed
    for role in set(Role) - allowed:
        with pytest.raises(IllegalTransition, match="may not"):
            rules.apply(status, action, role=role, actor_id=1, note="x", now=NOW)


def test_school_verifiers_take_no_action_at_all() -> None:
    assert all(rules.actions_for(s, Role.SCHOOL_VERIFIER) == [] for s in S)


@pytest.mark.parametrize("action", [A.ASK_INFO, A.REJECT, A.NOTE])
@pytest.mark.parametrize("note", [None, "", "   "])
def test_a_question_a_rejection_and_a_note_must_say_something(action, note) -> None:
    status = S.IN_REVIEW
    with pytest.raises(IllegalTransition, match="needs a note"):
        rules.apply(status, action, role=Role.AGENT, actor_id=1, note=note, now=NOW)


def test_the_family_does_not_see_notes_or_releases() -> None:
    note = rules.apply(S.IN_REVIEW, A.NOTE, role=Role.AGENT, actor_id=1, note="n", now=NOW)
    release = rules.apply(S.IN_REVIEW, A.RELEASE, role=Role.AGENT, actor_id=1, note=None, now=NOW)
    ask = rules.apply(S.IN_REVIEW, A.ASK_INFO, role=Role.AGENT, actor_id=1, note="?", now=NOW)
    assert (note.public, release.public, ask.public) == (False, False, True)
    assert not note.changes_status and release.changes_status


def test_actions_for_offers_what_the_table_allows() -> None:
    assert rules.actions_for(S.SUBMITTED, Role.AGENT) == [A.CLAIM, A.NOTE]
    assert rules.actions_for(S.IN_REVIEW, Role.SUPERVISOR) == [
        A.RELEASE, A.ASK_INFO, A.APPROVE, A.REJECT, A.NOTE,
    ]  # fmt: skip
    assert rules.actions_for(S.NEEDS_INFO, Role.PARENT) == [A.ANSWER, A.WITHDRAW]
    assert rules.actions_for(S.APPROVED, Role.PARENT) == []
