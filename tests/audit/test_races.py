"""Two requests appending at once: the second waits for the first's chain head, so the chain
stays one line (PostgreSQL: the head row's FOR UPDATE lock; SQLite: its write lock)."""

from __future__ import annotations

import threading
import time

import pytest

from portal import audit
from portal.audit.service import verify
from portal.orm import utcnow

from .conftest import entries


@pytest.fixture
def sessions(app):  # type: ignore[no-untyped-def]
    """A factory of sessions, one per simulated request, closed at the end."""
    made = []

    def new():  # type: ignore[no-untyped-def]
        session = app.extensions["portal.db"]()
        made.append(session)
        return session

    yield new
    for session in made:
        session.rollback()
        session.close()


def test_a_second_append_waits_for_the_first_to_commit(db, sessions) -> None:
    first, second = sessions(), sessions()
    audit.record(db, actor=None, action="seed", now=utcnow())
    db.commit()
    held = audit.record(first, actor=None, action="first", now=utcnow())  # not committed yet
    done: list[object] = []

    def other_request() -> None:
        done.append(audit.record(second, actor=None, action="second", now=utcnow()))
        second.commit()

    thread = threading.Thread(target=other_request)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive(), "the second append did not wait for the chain head"
    assert done == []
    first.commit()
    thread.join(timeout=20)
    assert not thread.is_alive()
    rows = entries(db)
    assert [(r.id, r.action) for r in rows] == [(1, "seed"), (2, "first"), (3, "second")]
    assert rows[2].prev_hash == held.hash
    assert verify(db).intact


def test_many_parallel_appends_make_one_intact_chain(db, sessions) -> None:
    per_thread, threads = 15, 4
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        session = sessions()
        try:
            for i in range(per_thread):
                audit.record(session, actor=None, action=f"w{n}.{i}", now=utcnow())
                session.commit()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    assert errors == []
    rows = entries(db)
    assert [r.id for r in rows] == list(range(1, per_thread * threads + 1))
    assert len({r.action for r in rows}) == per_thread * threads
    report = verify(db)
    assert report.intact and report.entries == per_thread * threads
