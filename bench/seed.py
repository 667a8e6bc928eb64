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


SUPERVISOR_EMAIL = "supervisor@bench.example"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - the bench supervisor's only


def supervisor(session: Session, secret_key: str) -> str:
    """A help-desk supervisor with an enrolled authenticator (TOTP_SECRET, sealed as the
    app seals it); returns the email. Imported here so an older checkout fails only the
    figures that need one."""
    from portal.accounts.sealing import SecretBox

    user = User(
        email=SUPERVISOR_EMAIL,
        password_hash=hash_password(PASSWORD),
        role=Role.SUPERVISOR,
        email_confirmed_at=utcnow(),
        totp_secret=SecretBox(secret_key).seal(TOTP_SECRET),
        totp_confirmed_at=utcnow(),
    )
    session.add(user)
    session.commit()
    return user.email


def help_desk_requests(
    session: Session, *, requester_email: str, open_count: int, resolved_count: int
) -> float:
    """`open_count` open requests of every kind and open status, submitted over the last
    90 days (a third claimed), and `resolved_count` answered in the last 30 days, in a
    few bulk inserts; returns the seconds they took. Lock and unlock requests name no
    record (one open per record is the rule), corrections the requester's first child."""
    import time

    from portal.requests.models import Request, RequestKind, RequestStatus

    started = time.perf_counter()
    requester = session.scalars(sa.select(User).where(User.email == requester_email)).one()
    staff_id = session.scalar(sa.select(User.id).where(User.role == Role.SUPERVISOR))
    patient_id = session.scalar(
        sa.select(PatientLink.patient_id).where(PatientLink.user_id == requester.id).limit(1)
    )
    kinds = list(RequestKind)
    statuses = [RequestStatus.SUBMITTED] * 4 + [RequestStatus.IN_REVIEW, RequestStatus.NEEDS_INFO]
    now = utcnow()
    rows = []
    for i in range(open_count):
        kind = kinds[i % len(kinds)]
        status = statuses[i % len(statuses)]
        at = now - timedelta(minutes=(i * 90 * 24 * 60) // max(open_count, 1) + 1)
        rows.append({
            "kind": kind, "status": status, "requester_id": requester.id,
            "patient_id": patient_id if kind is RequestKind.CORRECTION else None,
            "details": {},
            "assignee_id": None if status is RequestStatus.SUBMITTED else staff_id,
            "created_at": at, "updated_at": at, "closed_at": None, "version": 1,
        })  # fmt: skip
    for i in range(resolved_count):
        closed = now - timedelta(minutes=(i * 30 * 24 * 60) // max(resolved_count, 1) + 1)
        at = closed - timedelta(hours=4 + (i * 37) % 400)
        rows.append({
            "kind": kinds[i % len(kinds)],
            "status": RequestStatus.APPROVED if i % 5 else RequestStatus.REJECTED,
            "requester_id": requester.id, "patient_id": None, "details": {},
            "assignee_id": staff_id, "created_at": at, "updated_at": closed,
            "closed_at": closed, "version": 3,
        })  # fmt: skip
    for start in range(0, len(rows), 2_000):
        session.execute(sa.insert(Request), rows[start : start + 2_000])
    session.commit()
    return time.perf_counter() - started
