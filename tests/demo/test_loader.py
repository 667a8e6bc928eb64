"""Loading the demo into the test database: idempotent, with accounts that can sign in."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import Role, User
from portal.accounts.passwords import verify_password
from portal.accounts.sealing import SecretBox
from portal.demo import featured
from portal.demo.dataset import Dataset, build_dataset
from portal.demo.loader import load_demo
from portal.linking.models import PatientLink, Relationship
from portal.models import metadata
from portal.registry import AccessChannel, AccessEvent, OrgKind, Patient, RecordSource
from tests.conftest import SECRET

TODAY = date.today()


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return build_dataset(TODAY)


def row_counts(db: Session) -> dict[str, int]:
    return {
        table.name: db.scalar(sa.select(sa.func.count()).select_from(table)) or 0
        for table in metadata.sorted_tables
    }


def test_loading_twice_adds_nothing_the_second_time(db: Session, dataset: Dataset) -> None:
    first = load_demo(db, dataset, link_age=18, secret_key=SECRET)
    db.commit()
    counts = row_counts(db)
    second = load_demo(db, build_dataset(TODAY), link_age=18, secret_key=SECRET)
    db.commit()
    assert row_counts(db) == counts
    assert counts["patients"] == len(dataset.patients) >= 300
    assert counts["immunizations"] > 5000 and counts["tb_tests"] > 0
    assert counts["access_events"] > 0 and counts["users"] == 5
    assert first.added["patients"] == len(dataset.patients)
    assert second.added == {k: 0 for k in first.added}
    assert [login.line() for login in second.logins] == [login.line() for login in first.logins]


def test_accounts_links_and_sharing_as_the_demo_needs(db: Session, dataset: Dataset) -> None:
    result = load_demo(db, dataset, link_age=18, secret_key=SECRET)
    db.commit()
    users = {u.email: u for u in db.scalars(sa.select(User))}
    parent = users[featured.PARENT_EMAIL]
    links = db.scalars(sa.select(PatientLink).where(PatientLink.user_id == parent.id)).all()
    active = [
        link
        for link in links
        if link.unlinked_at is None and (link.ends_on is None or link.ends_on > TODAY)
    ]
    assert len(active) == 4
    for link in active:
        assert link.relationship_ == Relationship.PARENT
        child = link.patient
        assert link.ends_on == child.birth_date.replace(year=child.birth_date.year + 18)
        assert child.email == parent.email
    assert any(not link.patient.shared for link in active)
    assert any(link.patient.tb_tests for link in active)

    own = db.scalars(
        sa.select(PatientLink).where(PatientLink.user_id == users[featured.PATIENT_EMAIL].id)
    ).one()
    assert own.relationship_ == Relationship.SELF and own.ends_on is None

    for login in result.logins:
        user = users[login.email]
        assert user.email_confirmed_at is not None
        assert verify_password(user.password_hash, login.password)
        assert (login.totp_secret is not None) == user.is_staff
        if user.is_staff:
            assert user.totp_confirmed_at and login.totp_secret not in user.totp_secret
            assert SecretBox(SECRET).open(user.totp_secret) == login.totp_secret  # sealed
    school = next(u for u in users.values() if u.role == Role.SCHOOL_VERIFIER)
    assert school.organization is not None and school.organization.kind == OrgKind.SCHOOL


def test_records_and_events_as_stored(db: Session, dataset: Dataset) -> None:
    load_demo(db, dataset, link_age=18, secret_key=SECRET)
    db.commit()
    vital = db.scalars(
        sa.select(Patient).where(Patient.source == RecordSource.BIRTH_CERTIFICATE)
    ).all()
    assert vital and all(not p.disclosed and not p.shared for p in vital)
    sofia = db.scalars(sa.select(Patient).where(Patient.registry_id == featured.SOFIA)).one()
    events = db.scalars(sa.select(AccessEvent).where(AccessEvent.patient_id == sofia.id)).all()
    assert {e.channel for e in events} >= {AccessChannel.HL7, AccessChannel.VERIFIER}
    assert any(e.organization and e.organization.kind == OrgKind.SCHOOL for e in events)
    historical = db.scalars(
        sa.select(Patient).where(Patient.registry_id == featured.LONG_NAME)
    ).one()
    assert any(d.administered_at_text and d.reported_by_org for d in historical.immunizations)
