"""One account has at most one link in force to one record, even when two links race.

Two requests that both checked "no link yet" before either committed (two tabs typing
the same code, an access code and a contact code at once) used to make two rows. The
database now holds one active row per (account, record): a partial unique index.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.accounts.models import User
from portal.linking import services
from portal.linking.models import LinkMethod, PatientLink, Relationship
from portal.orm import utcnow
from portal.registry import Patient


@pytest.fixture
def second(app):  # type: ignore[no-untyped-def]
    """The session of a second request running at the same time."""
    session = app.extensions["portal.db"]()
    yield session
    session.rollback()
    session.close()


def _links(db, user) -> list[PatientLink]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return list(db.scalars(sa.select(PatientLink).where(PatientLink.user_id == user.id)))


def _link(session, user_id, patient_id, method=LinkMethod.CONTACT_CODE):  # type: ignore[no-untyped-def]
    return services.link_patient(
        session, session.get(User, user_id), session.get(Patient, patient_id),
        relationship=Relationship.PARENT, method=method, today=date.today(), guardian_age=18,
    )  # fmt: skip


def test_two_links_racing_make_one_link_row(make, db, second, monkeypatch) -> None:
    parent, child = make.user(), make.patient()
    first = _link(db, parent.id, child.id)
    db.commit()
    looked, calls = services._active_link_to, []

    def stale_then_fresh(*args):  # type: ignore[no-untyped-def]
        """The second request looked for a link before the first committed, and found none."""
        calls.append(args)
        return None if len(calls) == 1 else looked(*args)

    monkeypatch.setattr(services, "_active_link_to", stale_then_fresh)
    late = _link(second, parent.id, child.id, method=LinkMethod.ACCESS_CODE)
    second.commit()

    assert [link.id for link in _links(db, parent)] == [first.id]
    assert late.id == first.id  # the late request goes on with the link that won
    assert len(calls) == 2


def test_the_database_refuses_a_second_active_link(make, db) -> None:
    parent, child = make.user(), make.patient()
    make.link(parent, child)
    db.add(PatientLink(user=parent, patient=child, relationship_=Relationship.PARENT,
                       method=LinkMethod.MANUAL))  # fmt: skip
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_an_unlinked_row_does_not_block_linking_again(make, db) -> None:
    parent, child = make.user(), make.patient()
    old = make.link(parent, child, unlinked_at=utcnow() - timedelta(days=3))
    new = _link(db, parent.id, child.id)
    db.commit()
    assert new.id != old.id
    assert sorted(link.id for link in _links(db, parent)) == sorted([old.id, new.id])


def test_a_link_that_ended_is_closed_when_a_new_one_is_made(make, db) -> None:
    """A guardian's link that ran out (ends_on passed) still holds no place in force."""
    parent, child = make.user(), make.patient()
    ended = make.link(parent, child, ends_on=date.today() - timedelta(days=1))
    new = _link(db, parent.id, child.id)
    db.commit()
    db.expire_all()
    assert new.id != ended.id
    assert db.get(PatientLink, ended.id).unlinked_at is not None
    assert services.active_link_for(db, parent, new.id, date.today()) is not None
