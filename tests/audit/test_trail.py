"""Appending in the caller's transaction; `portal audit verify` on seeded and tampered trails."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import audit
from portal.accounts.models import Role
from portal.audit import triggers
from portal.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from portal.orm import utcnow

from .conftest import entries, tamper, verify


def test_entries_chain_to_each_other_and_name_what_they_are_about(db, make, append) -> None:
    agent = make.user(role=Role.AGENT)
    patient = make.patient()
    first = append(agent, patient=patient)
    second = append(agent, action=audit.AuditAction.STAFF_DISABLED, subject=agent,
                    before={"active": True}, after={"active": False})  # fmt: skip
    rows = entries(db)
    assert [r.id for r in rows] == [1, 2]
    assert rows[0].prev_hash == GENESIS_HASH and rows[1].prev_hash == rows[0].hash
    assert (rows[0].actor_id, rows[0].actor_email, rows[0].patient_id) == (
        agent.id, agent.email, patient.id,
    )  # fmt: skip
    assert (rows[1].subject_type, rows[1].subject_id) == ("users", agent.id)
    assert rows[1].after == {"active": False}
    assert db.get(AuditHead, 1).last_hash == second.hash != first.hash


def test_an_entry_rolls_back_with_the_callers_transaction(db) -> None:
    audit.record(db, actor=None, action="x", now=utcnow())
    db.rollback()
    assert entries(db) == []


def test_verify_passes_on_a_seeded_trail_and_on_an_empty_one(app, make, append) -> None:
    empty = verify(app)
    assert empty.exit_code == 0 and empty.output.strip() == "audit: 0 entries, chain intact"
    agent = make.user(role=Role.AGENT)
    for _ in range(5):
        append(agent, patient=make.patient())
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "audit: 5 entries, chain intact"


@pytest.fixture
def five(make, append) -> None:
    agent = make.user(role=Role.AGENT)
    for n in range(5):
        append(agent, after={"n": n})


def test_verify_names_an_entry_edited_by_sql(app, five) -> None:
    tamper(app, sa.update(AuditEntry).where(AuditEntry.id == 3).values(actor_email="x@evil.org"))
    result = verify(app)
    assert result.exit_code == 1
    assert "entry 3 was changed" in result.output
    assert "chain intact" not in result.output


def test_verify_names_a_deleted_entry(app, five) -> None:
    tamper(app, sa.delete(AuditEntry).where(AuditEntry.id == 2))
    result = verify(app)
    assert result.exit_code == 1 and "entry 2 was removed" in result.output


def test_verify_names_the_last_entry_deleted(app, five) -> None:
    tamper(app, sa.delete(AuditEntry).where(AuditEntry.id == 5))
    result = verify(app)
    assert result.exit_code == 1 and "entry 5 was removed" in result.output


def test_postgresql_refuses_update_and_delete_of_entries(app, db, five) -> None:
    from portal.db import engine_for

    engine = engine_for(app.config["DATABASE_URL"])
    if engine.dialect.name != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite's guard is the chain check")
    with engine.begin() as conn:
        triggers.execute(conn.exec_driver_sql, triggers.DROP)
        triggers.execute(conn.exec_driver_sql, triggers.CREATE)
    try:
        for statement in (
            sa.update(AuditEntry).where(AuditEntry.id == 1).values(action="edited"),
            sa.delete(AuditEntry).where(AuditEntry.id == 1),
            sa.text("TRUNCATE audit_entries CASCADE"),
        ):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(statement)
        with engine.begin() as conn:  # appending still works
            conn.execute(sa.insert(AuditEntry).values(
                id=6, at=utcnow(), action="x", prev_hash="0" * 64, hash="f" * 64,
            ))  # fmt: skip
    finally:
        with engine.begin() as conn:
            triggers.execute(conn.exec_driver_sql, triggers.DROP)
    assert len(entries(db)) == 6
