"""Who asked for reminders (per link: one account and one record) and what was sent."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.orm import Base, utcnow


class ReminderOptIn(Base):
    """A family's yes to reminders for one record; deleted when they say stop. The link
    (not the record) carries it: a link that ends stops the reminders with it."""

    __tablename__ = "reminder_opt_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("patient_links.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(Base):
    """One reminder stage sent for one dose of one group of a linked record: the daily run
    sends a stage once (the unique key), so a second run the same day sends nothing. A dose
    is its number and the date it is due from (a yearly flu dose is dose 1 every season)."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        sa.UniqueConstraint(
            "link_id", "vaccine_group", "stage", "dose_number", "due_from",
            name="uq_reminders_sent_once",  # the convention's name is past PostgreSQL's 63
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("patient_links.id"), index=True)
    vaccine_group: Mapped[str] = mapped_column(sa.String(20))
    stage: Mapped[str] = mapped_column(sa.String(10))  # "due" or "overdue"
    dose_number: Mapped[int]  # 0 when CDSi gives none
    due_from: Mapped[date]
    sent_on: Mapped[date]
