"""Tries are counted in the database before a guess is compared, so parallel requests share them.

Each test plays two requests whose reads happen before either writes: the second
request's session has already loaded the row (it read "one try left") when the
first request takes that try and commits.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import User
from portal.linking import rules
from portal.linking.access_codes import issue_access_code, redeem_access_code
from portal.linking.attempts import Client
from portal.linking.contact_codes import MatchDetails, check_contact_code, start_contact_match
from portal.linking.invitations import accept_invitation, create_invitation
from portal.linking.models import (
    AccessCode,
    AttemptOutcome,
    LinkChallenge,
    PatientLink,
    Relationship,
    TeenInvitation,
)
from portal.orm import utcnow
from tests.conftest import SECRET
from tests.linking.conftest import years_ago

BORN = date(2019, 3, 14)
KEY = SECRET.encode()


@pytest.fixture
def second(app):  # type: ignore[no-untyped-def]
    """The session of a second request running at the same time."""
    session = app.extensions["portal.db"]()
    yield session
    session.rollback()
    session.close()


def _has_read(session, entity, ident) -> None:
    """The session loads the row now; held, as the identity map keeps objects only weakly."""
    session.info.setdefault("held", []).append(session.get(entity, ident))


def _links(db, user) -> list[PatientLink]:
    db.expire_all()
    return list(db.scalars(sa.select(PatientLink).where(PatientLink.user_id == user.id)))


def test_two_parallel_code_tries_do_not_both_get_the_last_one(app, make, db, second) -> None:
    make.patient(first_name="José", last_name="García", birth_date=BORN, phone="5595550123")
    parent = make.user()
    sent: list[str] = []
    details = MatchDetails("jose", "garcia", BORN, "5595550123", Relationship.PARENT)
    with app.test_request_context():
        challenge = start_contact_match(
            db, Client(parent, KEY), details,
            send_code=lambda _db, _ch, to, code: sent.append(code) if to else None, now=utcnow(),
        )  # fmt: skip
    challenge.attempts = rules.OTP_MAX_TRIES - 1
    db.commit()
    wrong = f"{(int(sent[0]) + 1) % 1_000_000:06d}"
    _has_read(second, LinkChallenge, challenge.id)  # the second request read "one try left"

    last = check_contact_code(
        db, Client(parent, KEY), challenge.token, wrong,
        now=utcnow(), today=date.today(), guardian_age=18,
    )  # fmt: skip
    db.commit()
    late = check_contact_code(
        second, Client(second.get(User, parent.id), KEY), challenge.token, sent[0],
        now=utcnow(), today=date.today(), guardian_age=18,
    )  # fmt: skip
    second.commit()

    assert last.outcome == AttemptOutcome.CODE_ENDED
    assert late.outcome == AttemptOutcome.CODE_ENDED
    assert _links(db, parent) == []
    assert db.get(LinkChallenge, challenge.id).attempts == rules.OTP_MAX_TRIES


def test_a_code_counts_each_try_even_when_two_arrive_together(app, make, db, second) -> None:
    """Two wrong tries read "0 used" at once; both are counted, not one."""
    make.patient(first_name="Ana", last_name="Ruiz", birth_date=BORN, phone="5595550123")
    parent = make.user()
    details = MatchDetails("Ana", "Ruiz", BORN, "5595550123", Relationship.PARENT)
    with app.test_request_context():
        challenge = start_contact_match(
            db, Client(parent, KEY), details, send_code=lambda *_: None, now=utcnow()
        )
    db.commit()
    _has_read(second, LinkChallenge, challenge.id)
    for session in (db, second):
        user = session.get(User, parent.id)
        check_contact_code(
            session, Client(user, KEY), challenge.token, "not-it",
            now=utcnow(), today=date.today(), guardian_age=18,
        )  # fmt: skip
        session.commit()
    db.expire_all()
    assert db.get(LinkChallenge, challenge.id).attempts == 2


def _redeem(session, user_id, code, birth_date):  # type: ignore[no-untyped-def]
    return redeem_access_code(
        session, Client(session.get(User, user_id), KEY),
        code=code, birth_date=birth_date, relationship=Relationship.PARENT,
        now=utcnow(), today=date.today(), guardian_age=18,
    )  # fmt: skip


def test_five_wrong_birth_dates_end_an_access_code(make, db) -> None:
    patient = make.patient(birth_date=BORN)
    issued = issue_access_code(db, patient)
    db.commit()
    finder = make.user()
    guesses = [_redeem(db, finder.id, issued.code, BORN + timedelta(days=i + 1)) for i in range(5)]
    db.commit()
    assert [g.outcome for g in guesses] == [AttemptOutcome.WRONG_BIRTH_DATE] * 5
    # Whoever found the paper has had their five tries: the right date no longer works.
    assert _redeem(db, finder.id, issued.code, BORN).outcome == AttemptOutcome.CODE_ENDED
    assert _links(db, finder) == []


def test_a_family_typo_still_leaves_the_code_usable(make, db) -> None:
    patient = make.patient(birth_date=BORN)
    issued = issue_access_code(db, patient)
    db.commit()
    parent = make.user()
    for i in range(rules.ACCESS_CODE_MAX_TRIES - 1):
        _redeem(db, parent.id, issued.code, BORN + timedelta(days=i + 1))
    assert _redeem(db, parent.id, issued.code, BORN).outcome == AttemptOutcome.LINKED


def test_parallel_access_code_tries_do_not_share_the_last_one(make, db, second) -> None:
    patient = make.patient(birth_date=BORN)
    issued = issue_access_code(db, patient)
    issued.record.attempts = rules.ACCESS_CODE_MAX_TRIES - 1
    db.commit()
    finder = make.user()
    _has_read(second, AccessCode, issued.record.id)  # read "one try left"
    wrong = _redeem(db, finder.id, issued.code, BORN + timedelta(days=1))
    db.commit()
    late = _redeem(second, finder.id, issued.code, BORN)
    second.commit()
    assert wrong.outcome == AttemptOutcome.WRONG_BIRTH_DATE
    assert late.outcome == AttemptOutcome.CODE_ENDED
    assert _links(db, finder) == []


def test_one_access_code_links_once_when_two_redeem_it_together(make, db, second) -> None:
    patient = make.patient(birth_date=BORN)
    issued = issue_access_code(db, patient)
    db.commit()
    first, other = make.user(), make.user()
    _has_read(second, AccessCode, issued.record.id)  # read "not used yet"
    won = _redeem(db, first.id, issued.code, BORN)
    db.commit()
    lost = _redeem(second, other.id, issued.code, BORN)
    second.commit()
    assert won.outcome == AttemptOutcome.LINKED
    assert lost.outcome == AttemptOutcome.CODE_ENDED
    assert len(_links(db, first)) == 1 and _links(db, other) == []


def test_parallel_invitation_tries_do_not_share_the_last_one(make, db, second) -> None:
    today = date.today()
    parent = make.user()
    record = make.patient(birth_date=years_ago(today, 18, days=30))
    link = make.link(parent, record)
    invitation, token = create_invitation(db, link, "teen@example.org", now=utcnow())
    invitation.attempts = rules.INVITATION_MAX_TRIES - 1
    db.commit()
    teen = make.user()
    _has_read(second, TeenInvitation, invitation.id)  # read "one try left"

    def accept(session, birth_date):  # type: ignore[no-untyped-def]
        return accept_invitation(
            session, Client(session.get(User, teen.id), KEY), token, birth_date,
            now=utcnow(), today=today, guardian_age=18,
        )  # fmt: skip

    wrong = accept(db, record.birth_date - timedelta(days=1))
    db.commit()
    late = accept(second, record.birth_date)
    second.commit()
    assert wrong.outcome == AttemptOutcome.WRONG_BIRTH_DATE
    assert late.outcome == AttemptOutcome.CODE_ENDED
    assert _links(db, teen) == []


def test_a_code_replaced_while_being_redeemed_does_not_link(make, db, second) -> None:
    patient = make.patient(birth_date=BORN)
    old = issue_access_code(db, patient)
    db.commit()
    parent = make.user()
    _has_read(second, AccessCode, old.record.id)  # the family's request read it as live
    issue_access_code(db, patient)  # meanwhile the help desk prints a new one
    db.commit()
    late = _redeem(second, parent.id, old.code, BORN)
    second.commit()
    assert late.outcome == AttemptOutcome.CODE_ENDED
    assert _links(db, parent) == []
