"""A new match ends the account's older pending codes: only the newest code links."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.linking.attempts import Client
from portal.linking.contact_codes import MatchDetails, check_contact_code, start_contact_match
from portal.linking.models import AttemptOutcome, LinkChallenge, PatientLink, Relationship
from portal.orm import utcnow
from tests.conftest import SECRET

BORN = date(2019, 3, 14)
KEY = SECRET.encode()


def _start(app, db, user, details, sent):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        return start_contact_match(
            db, Client(user, KEY), details,
            send_code=lambda _db, _ch, to, code: sent.append(code) if to else None, now=utcnow(),
        )  # fmt: skip


def _check(db, user, challenge, code):  # type: ignore[no-untyped-def]
    return check_contact_code(
        db, Client(user, KEY), challenge.token, code,
        now=utcnow(), today=date.today(), guardian_age=18,
    )  # fmt: skip


def test_a_new_match_ends_the_older_pending_code(app, make, db) -> None:
    make.patient(first_name="José", last_name="García", birth_date=BORN, phone="5595550123")
    make.patient(first_name="Ana", last_name="García", birth_date=BORN, phone="5595550124")
    parent = make.user()
    sent: list[str] = []
    first = _start(app, db, parent, MatchDetails("jose", "garcia", BORN, "5595550123",
                                                 Relationship.PARENT), sent)  # fmt: skip
    second = _start(app, db, parent, MatchDetails("ana", "garcia", BORN, "5595550124",
                                                  Relationship.PARENT), sent)  # fmt: skip
    db.commit()

    old = _check(db, parent, first, sent[0])
    new = _check(db, parent, second, sent[1])
    db.commit()

    assert old.outcome == AttemptOutcome.CODE_ENDED
    assert new.outcome == AttemptOutcome.LINKED
    links = db.scalars(sa.select(PatientLink).where(PatientLink.user_id == parent.id)).all()
    assert [link.patient.first_name for link in links] == ["Ana"]


def test_a_try_that_matched_nothing_also_ends_the_older_code(app, make, db) -> None:
    """Both paths do the same work, so a non-match ends the older code too."""
    make.patient(first_name="José", last_name="García", birth_date=BORN, phone="5595550123")
    parent = make.user()
    sent: list[str] = []
    first = _start(app, db, parent, MatchDetails("jose", "garcia", BORN, "5595550123",
                                                 Relationship.PARENT), sent)  # fmt: skip
    _start(app, db, parent, MatchDetails("nobody", "here", BORN, "5595550123",
                                         Relationship.PARENT), sent)  # fmt: skip
    db.commit()
    assert _check(db, parent, first, sent[0]).outcome == AttemptOutcome.CODE_ENDED


def test_another_accounts_pending_code_stays_valid(app, make, db) -> None:
    make.patient(first_name="José", last_name="García", birth_date=BORN, phone="5595550123")
    parent, other = make.user(), make.user()
    sent: list[str] = []
    details = MatchDetails("jose", "garcia", BORN, "5595550123", Relationship.PARENT)
    theirs = _start(app, db, other, details, sent)
    _start(app, db, parent, details, sent)
    db.commit()
    assert _check(db, other, theirs, sent[0]).outcome == AttemptOutcome.LINKED
    db.expire_all()
    assert db.get(LinkChallenge, theirs.id).used_at is not None
