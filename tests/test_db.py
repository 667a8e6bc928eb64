"""The database layer: savepoints really nest on both databases."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User


def _count(session: Session, email: str) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == email))


def test_a_nested_block_is_undone_by_the_outer_rollback(db) -> None:
    with db.begin_nested():
        db.add(User(email="nested@example.org", password_hash="x", locale="en"))
    assert _count(db, "nested@example.org") == 1
    db.rollback()
    assert _count(db, "nested@example.org") == 0


def test_a_failed_nested_block_rolls_back_alone(db) -> None:
    db.add(User(email="outer@example.org", password_hash="x", locale="en"))
    db.flush()
    try:
        with db.begin_nested():
            db.add(User(email="outer@example.org", password_hash="y", locale="en"))
    except sa.exc.IntegrityError:
        pass
    else:  # pragma: no cover - the duplicate must be refused
        raise AssertionError("the duplicate address was accepted")
    db.commit()
    assert _count(db, "outer@example.org") == 1


def test_the_outer_rollback_undoes_rows_written_before_the_savepoint(db) -> None:
    db.add(User(email="before@example.org", password_hash="x", locale="en"))
    with db.begin_nested():
        db.add(User(email="inside@example.org", password_hash="x", locale="en"))
    db.rollback()
    assert _count(db, "before@example.org") == 0
    assert _count(db, "inside@example.org") == 0


def test_a_nested_block_after_a_read_is_undone_too(db) -> None:
    """sign_up's shape: look the address up, then insert inside a savepoint."""
    assert _count(db, "signup@example.org") == 0
    with db.begin_nested():
        db.add(User(email="signup@example.org", password_hash="x", locale="en"))
    db.rollback()
    assert _count(db, "signup@example.org") == 0
