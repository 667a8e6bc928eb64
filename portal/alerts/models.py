"""Who asked to be told when an organization opens a record (per link), and up to when they were."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.orm import Base, UTCDateTime, utcnow


class AccessAlertOptIn(Base):
    """A family's yes to access alerts for one record; deleted when they say stop. On the link
    (not the record), so a link that ends stops the alerts with it.

    `seen_through` is the end of the stretch of the access log already looked at: events after
    it are new. It starts at the moment of the yes (nothing from before is news) and moves on
    with each email. `last_sent_on` keeps the account to one email a day."""

    __tablename__ = "access_alert_opt_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("patient_links.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_through: Mapped[datetime] = mapped_column(UTCDateTime())
    last_sent_on: Mapped[date | None]
