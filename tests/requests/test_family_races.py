"""Two posts at once: the same form twice makes one request; two parents asking to lock
one record make one open request. Each loser read the table before the winner committed
(the check before the insert is made to miss), so the database's unique rules decide."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from portal.accounts.models import User
from portal.registry.patients import Patient
from portal.requests import submit
from portal.requests.models import Request, RequestKind, RequestStatus

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def second(app):  # type: ignore[no-untyped-def]
    session = app.extensions["portal.db"]()
    yield session
    session.rollback()
    session.close()


def _missing_first(monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    """The pre-check `name` misses once, as if it had read before the winner committed."""
    real, calls = getattr(submit, name), []

    def once(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(submit, name, once)


def _file(db, user, patient, token, kind=RequestKind.LOCK):  # type: ignore[no-untyped-def]
    return submit.file_request(
        db, db.get(User, user.id), kind, patient=db.get(Patient, patient.id),
        details={}, token=token, now=NOW,
    )  # fmt: skip


def test_the_same_form_posted_twice_at_once_makes_one_request(
    app, db, second, make, monkeypatch
) -> None:
    parent, patient = make.user(), make.patient()
    with app.app_context():
        first = _file(db, parent, patient, "t" * 32)
        db.commit()
        _missing_first(monkeypatch, "by_token")
        again = _file(second, parent, patient, "t" * 32, kind=RequestKind.CORRECTION)
        second.commit()
    assert first.created and not again.created
    assert again.request.id == first.request.id
    assert db.scalar(sa.select(sa.func.count()).select_from(Request)) == 1


def test_two_parents_locking_one_record_at_once_make_one_open_request(
    app, db, second, make, monkeypatch
) -> None:
    patient = make.patient()
    mother, father = make.user(), make.user()
    with app.app_context():
        _file(db, mother, patient, "m" * 32)
        db.commit()
        _missing_first(monkeypatch, "pending_sharing_request")
        with pytest.raises(submit.SharingPending):
            _file(second, father, patient, "f" * 32)
        second.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(Request)) == 1


def test_a_closed_lock_request_does_not_block_a_new_one(app, db, make) -> None:
    patient, parent = make.patient(), make.user()
    with app.app_context():
        filed = _file(db, parent, patient, "a" * 32)
        filed.request.status = RequestStatus.WITHDRAWN
        db.commit()
        assert _file(db, parent, patient, "b" * 32).created
        db.commit()
