"""The audit table and its one-row chain head.

Entries are numbered by the head (`id` = the head's `last_id` + 1 under its lock), so a
removed entry leaves a gap that `verify` names. On PostgreSQL a trigger (migration
2026-12-01_c3d9e2f4a7b1) refuses UPDATE and DELETE on `audit_entries`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.orm import Base

GENESIS_HASH = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    # Null for the command line; the email is kept as it was, for a reader years later.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    actor_email: Mapped[str | None] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(64))
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patients.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("requests.id"))
    subject_type: Mapped[str | None] = mapped_column(sa.String(64))
    subject_id: Mapped[int | None]
    before: Mapped[Any | None] = mapped_column(sa.JSON)
    after: Mapped[Any | None] = mapped_column(sa.JSON)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)


class AuditHead(Base):
    """The chain's end: locked by each append, so two appends cannot both follow one entry."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # always 1
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64), default=GENESIS_HASH)
