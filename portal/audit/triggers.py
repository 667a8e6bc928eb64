"""PostgreSQL's guard: a trigger that refuses UPDATE and DELETE on audit_entries.

Used by the migration (and by the test that checks it); SQLite has no such trigger
here, and the chain check is its guard.
"""

from __future__ import annotations

from typing import Any

CREATE = [
    """
    CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = 'audit_entries is append-only (' || TG_OP || ' refused)';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_entries_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries",
    "DROP FUNCTION IF EXISTS audit_entries_append_only()",
]


def execute(run: Any, statements: list[str]) -> None:
    """`run` is op.execute in a migration, or a connection's exec_driver_sql."""
    for statement in statements:
        run(statement)
