"""A signed-in parent with a linked child, and records with many doses."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from portal.accounts.models import Role
from portal.linking.models import LinkMethod, PatientLink, Relationship

# A child's schedule to age 12: (CVX, age in days). 110 and 94 are combinations.
SCHEDULE = [
    ("08", 0), ("110", 61), ("116", 61), ("133", 61), ("49", 61), ("110", 122),
    ("116", 122), ("133", 122), ("49", 122), ("110", 183), ("116", 183), ("133", 183),
    ("140", 200), ("140", 230), ("03", 366), ("21", 366), ("83", 366), ("49", 380),
    ("133", 380), ("20", 460), ("83", 550), ("140", 560), ("140", 930), ("140", 1290),
    ("130", 1500), ("94", 1500), ("140", 1650), ("140", 2020), ("140", 2380),
    ("140", 2750), ("140", 3110), ("140", 3480), ("115", 4050), ("165", 4050),
    ("114", 4060),
]  # fmt: skip


@pytest.fixture
def link_for(make, db):  # type: ignore[no-untyped-def]
    """link_for(user, patient, **kw): a PatientLink, committed."""

    def create(user: Any, patient: Any, **kw: Any) -> PatientLink:
        kw.setdefault("relationship_", Relationship.PARENT)
        kw.setdefault("method", LinkMethod.DEMO)
        link = PatientLink(user=user, patient=patient, **kw)
        db.add(link)
        db.commit()
        return link

    return create


@pytest.fixture
def parent(make, client, login):  # type: ignore[no-untyped-def]
    user = make.user(role=Role.PARENT, full_name="Ana Lopez")
    login(client, user)
    return user


@pytest.fixture
def add_schedule(make):  # type: ignore[no-untyped-def]
    """add_schedule(patient, count): the first `count` doses of SCHEDULE, then yearly flu shots."""

    def add(patient: Any, count: int = len(SCHEDULE), **kw: Any) -> list[Any]:
        doses = []
        for i in range(count):
            cvx, days = SCHEDULE[i] if i < len(SCHEDULE) else ("150", 4100 + 40 * i)
            given = patient.birth_date + timedelta(days=days)
            doses.append(make.dose(patient, cvx_code=cvx, given_on=given, **kw))
        return doses

    return add


BIRTH = date(2012, 5, 17)
