"""Helpers for the audit tests: append entries, tamper with them by SQL as an intruder would."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from portal import audit
from portal.audit import triggers
from portal.audit.commands import audit_command
from portal.audit.models import AuditEntry
from portal.orm import utcnow


@pytest.fixture
def append(db) -> Callable[..., AuditEntry]:  # type: ignore[no-untyped-def]
    def add(actor=None, **kw):  # type: ignore[no-untyped-def]
        kw.setdefault("action", audit.AuditAction.RECORD_VIEWED)
        entry = audit.record(db, actor=actor, now=kw.pop("now", None) or utcnow(), **kw)
        db.commit()
        return entry

    return add


def tamper(app: Flask, statement: sa.Executable) -> None:
    """Run SQL past the ORM; on PostgreSQL the append-only trigger is dropped first."""
    from portal.db import engine_for

    with engine_for(app.config["DATABASE_URL"]).begin() as conn:
        if conn.dialect.name == "postgresql":
            triggers.execute(conn.exec_driver_sql, triggers.DROP)
        conn.execute(statement)


def verify(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(audit_command, ["verify"])


def entries(db) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    db.rollback()
    db.expire_all()
    return list(db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))
