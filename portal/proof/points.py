"""Each record's revocation points: distinct and increasing, taken under the record's lock.

A point is an `nbf` (a printout) or the `ts` of a CRL entry `rid.<ts>` (a revocation).
It is "now" in whole seconds, but always after the record's last point: the spec's
rule revokes only cards strictly older than `ts`, so two printouts in one second
must not share a point.

Taking the next point is one upsert on the record's `card_points` row, and it is
the first write of the printout. On PostgreSQL it locks that row until commit, so a
second printout of the record waits and then reads the first one's value; on SQLite
it takes the database's write lock (pysqlite begins the transaction at the first
write), so everything the printout reads after it is already serialized.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import CardPoint


def upsert(db: Session, table: sa.Table) -> Any:
    """`INSERT ... ON CONFLICT` for the session's database (SQLite or PostgreSQL)."""
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def next_point(db: Session, patient_id: int, now: datetime) -> int:
    """The record's next point, at least `now`; locks the record's row until commit."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = int(now.timestamp())
    table = CardPoint.__table__
    insert = upsert(db, table).values(patient_id=patient_id, last_point=stamp)
    following = table.c.last_point + 1
    statement = insert.on_conflict_do_update(
        index_elements=[table.c.patient_id],
        set_={
            "last_point": sa.case(
                (following > insert.excluded.last_point, following),
                else_=insert.excluded.last_point,
            )
        },
    ).returning(table.c.last_point)
    return int(db.execute(statement).scalar_one())
