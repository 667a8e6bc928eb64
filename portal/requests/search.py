"""Patient search for the help desk: by registry number, or last name and birth date.

Finding a record is not opening it: the results show name and birth date only, and the
staff record page they link to writes the access event when it is opened.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.registry.patients import Patient

MAX_RESULTS = 50


def search_patients(
    db: Session,
    *,
    registry_id: str | None = None,
    last_name: str | None = None,
    first_name: str | None = None,
    birth_date: date | None = None,
) -> list[Patient]:
    query = sa.select(Patient).order_by(Patient.last_name, Patient.first_name, Patient.id)
    if registry_id:
        query = query.where(sa.func.upper(Patient.registry_id) == registry_id.strip().upper())
    elif last_name and birth_date:
        # The (birth_date, last_name) index narrows by birth date to a handful of rows.
        query = query.where(
            Patient.birth_date == birth_date,
            sa.func.lower(Patient.last_name) == last_name.strip().lower(),
        )
        if first_name:
            query = query.where(
                sa.func.lower(Patient.first_name).startswith(first_name.strip().lower())
            )
    else:
        return []
    return list(db.scalars(query.limit(MAX_RESULTS)))
