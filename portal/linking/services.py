"""Links between accounts and records: which records a user may open today."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User

from .models import PatientLink


def active_link_for(db: Session, user: User, link_id: int, today: date) -> PatientLink | None:
    """The user's own link, if it is still in force; None for anyone else's, unlinked or ended."""
    return db.scalar(
        sa.select(PatientLink).where(
            PatientLink.id == link_id,
            PatientLink.user_id == user.id,
            PatientLink.unlinked_at.is_(None),
            sa.or_(PatientLink.ends_on.is_(None), PatientLink.ends_on > today),
        )
    )
