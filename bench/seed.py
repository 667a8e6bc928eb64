"""The bench's own data: an empty schema, then families with realistic records.

Each family is a parent with two linked children: a teenager with 32 doses (the
record page) and one with 30 doses (the printout). Built from the models, not from
the test factories or the demo, so the bench runs against any checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.accounts.passwords import hash_password
from portal.linking.models import LinkMethod, PatientLink, Relationship
from portal.models import metadata
from portal.orm import utcnow
from portal.registry import Immunization, Organization, OrgKind, Patient, RecordSource

PASSWORD = "bench horse battery staple 7"  # noqa: S105 - the bench accounts only
RECORD_DOSES = 32
PRINTOUT_DOSES = 30

# A child's doses by age in days: the CDC schedule with a combination vaccine
# (DTaP-HepB-IPV, CVX 110); flu doses (CVX 141) fill the record up to its size.
_SCHEDULE = [
    (0, "08"),
    *[(d, c) for d in (61, 122) for c in ("110", "49", "133", "116")],
    *[(183, c) for c in ("110", "133", "116")],
    *[(366, c) for c in ("03", "21", "83", "49", "133")],
    (548, "20"),
    (731, "83"),
    *[(1461, c) for c in ("20", "10", "03", "21")],
    *[(4018, c) for c in ("115", "165", "114")],
    (4200, "165"),
]
_FLU = [(213, "141"), (244, "141"), *[(365 * y + 280, "141") for y in range(1, 13)]]


@dataclass(frozen=True)
class Family:
    email: str
    record_link_id: int
    printout_link_id: int
    printout_patient_id: int


def wipe(engine: Engine) -> None:
    """An empty schema from the models. On PostgreSQL the whole public schema goes."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    metadata.create_all(engine)


def _doses(birth: date, count: int, clinics: list[Organization]) -> list[Immunization]:
    plan = sorted(_SCHEDULE + _FLU[: max(0, count - len(_SCHEDULE))])[:count]
    return [
        Immunization(
            cvx_code=cvx,
            given_on=birth + timedelta(days=days),
            lot_number=f"L{i:03d}{cvx}",
            administering_org=clinics[i % len(clinics)],
        )
        for i, (days, cvx) in enumerate(plan)
    ]


def _child(n: int, first: str, age: int, doses: int, clinics: list[Organization]) -> Patient:
    today = date.today()
    birth = date(today.year - age, 3, 14)
    child = Patient(
        registry_id=f"CA{91000000 + n}",
        first_name=first,
        last_name="García-Núñez",
        birth_date=birth,
        guardian_name="Ana García",
        address_street="12 Elm St",
        address_city="Fresno",
        address_state="CA",
        address_zip="93701",
        phone="5595550123",
        source=RecordSource.PROVIDER_REPORT,
        disclosed=True,
        disclosed_on=birth + timedelta(days=7),
        shared=True,
        sharing_effective_on=birth + timedelta(days=7),
        owner=clinics[0],
    )
    child.immunizations.extend(_doses(birth, doses, clinics))
    return child


def families(session: Session, count: int) -> list[Family]:
    """`count` parents (one password for all), each with a 32-dose and a 30-dose child."""
    names = ["Valley Pediatrics", "Sunrise Community Health Center", "Fresno County Public Health"]
    clinics = [
        Organization(identifier=f"BENCH-ORG-{i}", name=name, kind=OrgKind.PROVIDER)
        for i, name in enumerate(names)
    ]
    session.add_all(clinics)
    password_hash = hash_password(PASSWORD)
    made = []
    for i in range(count):
        parent = User(
            email=f"parent{i}@bench.example",
            password_hash=password_hash,
            role=Role.PARENT,
            email_confirmed_at=utcnow(),
        )
        record = _child(2 * i, "María José", 14, RECORD_DOSES, clinics)
        printout = _child(2 * i + 1, "Lucía", 12, PRINTOUT_DOSES, clinics)
        links = [
            PatientLink(
                user=parent,
                patient=child,
                relationship_=Relationship.PARENT,
                method=LinkMethod.DEMO,
                ends_on=date(child.birth_date.year + 18, 3, 14),
            )
            for child in (record, printout)
        ]
        session.add_all([parent, record, printout, *links])
        session.flush()
        made.append(Family(parent.email, links[0].id, links[1].id, printout.id))
    session.commit()
    return made
