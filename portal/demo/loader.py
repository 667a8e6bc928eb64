"""Write the demo dataset into the database, adding only what is not there yet.

Running it again adds nothing: organizations are matched by identifier,
patients by registry id (a patient's doses, TB tests and access events come
and go with it), accounts by email and links by (account, patient).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.accounts.sealing import SecretBox
from portal.accounts.services import ensure_totp_secret
from portal.linking.models import LinkMethod, PatientLink, Relationship
from portal.linking.rules import guardian_link_ends_on
from portal.orm import utcnow
from portal.registry import (
    AccessChannel,
    Immunization,
    Organization,
    Patient,
    TbTest,
    record_access,
)

from .accounts import AccountSpec
from .dataset import Dataset
from .organizations import OrgSpec
from .specs import DoseSpec, PatientSpec, TbSpec


@dataclass(frozen=True, slots=True)
class Login:
    label: str
    email: str
    password: str
    totp_secret: str | None = None

    def line(self) -> str:
        """`ROLE EMAIL PASSWORD`, and the authenticator secret for staff."""
        parts = [self.label, self.email, self.password]
        if self.totp_secret:
            parts.append(self.totp_secret)
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class LinkingHint:
    first_name: str
    last_name: str
    birth_date: date
    email: str | None


@dataclass(slots=True)
class LoadResult:
    logins: list[Login]
    hint: LinkingHint
    added: dict[str, int] = field(default_factory=dict)


def load_demo(session: Session, dataset: Dataset, *, link_age: int, secret_key: str,
              exchanged: frozenset[str] | None = None) -> LoadResult:  # fmt: skip
    """`secret_key` is the app's SECRET_KEY: staff authenticator secrets are stored sealed.

    `exchanged`: when the records' history came through the exchange (`portal demo`,
    portal/demo/exchange.py), the registry ids it created just now. Those records get only
    what the exchange does not carry (TB tests, school checks); no record gets its HL7
    access events here (the exchange wrote them, or writes the queries' next)."""
    added: dict[str, int] = {}
    orgs = load_organizations(session, dataset.organizations, added)
    _patients(session, dataset.patients, orgs, added, exchanged)
    logins = _accounts(session, dataset.accounts, orgs, link_age, added, SecretBox(secret_key))
    example = session.scalars(
        sa.select(Patient).where(Patient.registry_id == dataset.linking_example)
    ).one()
    hint = LinkingHint(example.first_name, example.last_name, example.birth_date, example.email)
    return LoadResult(logins, hint, added)


def load_organizations(
    session: Session, specs: tuple[OrgSpec, ...], added: dict[str, int]
) -> dict[str, Organization]:
    wanted = [s.identifier for s in specs]
    found = {
        o.identifier: o
        for o in session.scalars(sa.select(Organization).where(Organization.identifier.in_(wanted)))
    }
    new = [
        Organization(identifier=s.identifier, name=s.name, kind=s.kind, city=s.city)
        for s in specs
        if s.identifier not in found
    ]
    session.add_all(new)
    found.update((o.identifier, o) for o in new)
    added["organizations"] = len(new)
    return found


def _patients(
    session: Session,
    specs: list[PatientSpec],
    orgs: dict[str, Organization],
    added: dict[str, int],
    exchanged: frozenset[str] | None,
) -> None:
    wanted = [s.registry_id for s in specs]
    existing = {
        p.registry_id: p
        for p in session.scalars(sa.select(Patient).where(Patient.registry_id.in_(wanted)))
    }
    new = [(s, _patient(s, orgs)) for s in specs if s.registry_id not in existing]
    session.add_all([patient for _, patient in new])
    session.flush()  # the patients' ids, for the rows below
    # Doses are most of the rows: one executemany is many times faster than the unit of work.
    doses = [_dose_row(patient, d, orgs) for spec, patient in new for d in spec.doses]
    sent = [(s, existing[s.registry_id]) for s in specs if s.registry_id in (exchanged or ())]
    tests = [_tb_row(patient, t, orgs) for spec, patient in new + sent for t in spec.tb_tests]
    for model, rows in ((Immunization, doses), (TbTest, tests)):
        if rows:
            session.execute(sa.insert(model), rows)
    for spec, patient in new + sent:
        for a in spec.access:
            if exchanged is not None and a.channel == AccessChannel.HL7:
                continue
            event = record_access(
                session,
                patient,
                action=a.action,
                channel=a.channel,
                outcome=a.outcome,
                organization=orgs[a.org] if a.org else None,
                reason=a.reason,
            )
            event.occurred_at = a.occurred_at
    added["patients"] = len(new)
    added["doses"] = len(doses)


def _patient(spec: PatientSpec, orgs: dict[str, Organization]) -> Patient:
    return Patient(
        registry_id=spec.registry_id,
        first_name=spec.first_name,
        middle_name=spec.middle_name,
        last_name=spec.last_name,
        birth_date=spec.birth_date,
        sex=spec.sex,
        guardian_name=spec.guardian_name,
        address_street=spec.address_street,
        address_city=spec.address_city,
        address_state="CA" if spec.address_street else None,
        address_zip=spec.address_zip,
        phone=spec.phone,
        email=spec.email,
        source=spec.source,
        disclosed=spec.disclosed,
        disclosed_on=spec.disclosed_on,
        shared=spec.shared,
        sharing_effective_on=spec.sharing_effective_on,
        owner=orgs[spec.owner] if spec.owner else None,
    )


def _dose_row(patient: Patient, dose: DoseSpec, orgs: dict[str, Organization]) -> dict[str, Any]:
    given_by = orgs[dose.org].id if dose.org else None
    return {
        "patient_id": patient.id,
        "cvx_code": dose.cvx,
        "mvx_code": dose.mvx,
        "given_on": dose.given_on,
        "lot_number": dose.lot,
        "administering_org_id": given_by,
        "administered_at_text": dose.administered_at_text,
        # A historical dose is reported by the clinic that transcribed it.
        "reported_by_org_id": given_by or patient.owner_org_id,
        "kind": dose.kind,
    }


def _tb_row(patient: Patient, test: TbSpec, orgs: dict[str, Organization]) -> dict[str, Any]:
    return {
        "patient_id": patient.id,
        "test_type": test.test_type,
        "placed_on": test.placed_on,
        "read_on": test.read_on,
        "result": test.result,
        "interpretation": test.interpretation,
        "organization_id": orgs[test.org].id if test.org else None,
    }


def _accounts(
    session: Session,
    specs: tuple[AccountSpec, ...],
    orgs: dict[str, Organization],
    link_age: int,
    added: dict[str, int],
    box: SecretBox,
) -> list[Login]:
    emails = [s.email.lower() for s in specs]
    users = {u.email: u for u in session.scalars(sa.select(User).where(User.email.in_(emails)))}
    now = utcnow()
    added["accounts"] = 0
    for spec in specs:
        user = users.get(spec.email.lower())
        if user is None:
            user = User(
                email=spec.email.lower(),
                password_hash=hash_password(spec.password),
                role=spec.role,
                full_name=spec.full_name,
                email_confirmed_at=now,
                organization=orgs[spec.organization] if spec.organization else None,
            )
            session.add(user)
            users[user.email] = user
            added["accounts"] += 1
        if spec.staff and not user.totp_secret:
            ensure_totp_secret(user, box)
            user.totp_confirmed_at = now
    session.flush()
    added["links"] = _links(session, specs, users, link_age)
    logins = []
    for spec in specs:
        user = users[spec.email.lower()]
        secret = box.open(user.totp_secret) if spec.staff and user.totp_secret else None
        logins.append(Login(spec.label, user.email, spec.password, secret))
    return logins


def _links(
    session: Session, specs: tuple[AccountSpec, ...], users: dict[str, User], link_age: int
) -> int:
    wanted = [(users[s.email.lower()], rid, rel) for s in specs for rid, rel in s.links]
    patients = {
        p.registry_id: p
        for p in session.scalars(
            sa.select(Patient).where(Patient.registry_id.in_([rid for _, rid, _ in wanted]))
        )
    }
    rows = session.execute(
        sa.select(PatientLink.user_id, PatientLink.patient_id).where(
            PatientLink.user_id.in_([u.id for u, _, _ in wanted])
        )
    )
    linked = {(user_id, patient_id) for user_id, patient_id in rows}
    new = []
    for user, registry_id, relationship in wanted:
        patient = patients[registry_id]
        if (user.id, patient.id) in linked:
            continue
        ends_on = None
        if relationship != Relationship.SELF:
            ends_on = guardian_link_ends_on(patient.birth_date, link_age)
        new.append(
            PatientLink(
                user=user,
                patient=patient,
                relationship_=relationship,
                method=LinkMethod.DEMO,
                ends_on=ends_on,
            )
        )
    session.add_all(new)
    return len(new)
