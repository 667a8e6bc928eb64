"""The demo's provider records come through POST /exchange/hl7: owners, locks, guardians,
doses and the "who looked" events are what the exchange wrote, at the messages' times."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal.demo import featured
from portal.demo import organizations as orgs
from portal.demo.command import _exchange_credentials
from portal.demo.dataset import Dataset, build_dataset
from portal.demo.exchange import (
    DemoClock,
    Exchange,
    ExchangeRefused,
    exchange_config,
    send_queries,
    send_through_exchange,
)
from portal.exchange.hl7.outgoing import OutgoingDose, OutgoingPatient
from portal.exchange.models import PatientIdentifier
from portal.registry import (
    AccessAction,
    AccessChannel,
    AccessEvent,
    AccessOutcome,
    Immunization,
    Patient,
)

TODAY = date.today()
STORY = (featured.SOFIA, featured.MATEO, featured.DANIELLE)


@pytest.fixture
def story() -> Dataset:
    full = build_dataset(TODAY)
    patients = [p for p in full.patients if p.registry_id in STORY]
    return Dataset(full.organizations, patients, full.accounts, full.linking_example)


def _events(db: Session, registry_id: str) -> list[AccessEvent]:
    return list(
        db.scalars(
            sa.select(AccessEvent).join(Patient).where(Patient.registry_id == registry_id)
            .order_by(AccessEvent.occurred_at)
        )
    )  # fmt: skip


def test_the_story_records_are_what_the_exchange_stored(
    app: Flask, db: Session, story: Dataset
) -> None:
    with app.app_context():
        sent = send_through_exchange(app, story, _exchange_credentials)
        queries = send_queries(app, story, sent.credentials)
    assert sorted(sent.created) == sorted(STORY)
    assert sent.vxu >= len(STORY) and queries > 0
    specs = {p.registry_id: p for p in story.patients}
    sofia_spec = specs[featured.SOFIA]
    sofia = db.scalars(sa.select(Patient).where(Patient.registry_id == featured.SOFIA)).one()
    # Locked because the owner's VXU said PD1-12 = Y, since the date its PD1-13 gave.
    assert sofia.locked and sofia.owner is not None
    assert sofia.owner.identifier == sofia_spec.owner == orgs.SUNRISE_PEDIATRICS
    assert sofia.sharing_effective_on == sofia_spec.sharing_effective_on
    assert sofia.guardian_name == sofia_spec.guardian_name
    assert sofia.first_name == "Sofía" and sofia.last_name == sofia_spec.last_name
    doses = db.scalars(sa.select(Immunization).where(Immunization.patient_id == sofia.id)).all()
    assert len(doses) == len(sofia_spec.doses)
    # The sender's own id of the patient (PID-3 MR), kept by the exchange's submit.
    assert db.scalar(
        sa.select(PatientIdentifier.identifier).where(PatientIdentifier.patient_id == sofia.id)
    ) == f"MR-{featured.SOFIA}"  # fmt: skip
    events = _events(db, featured.SOFIA)
    submits = [e for e in events if e.action in (AccessAction.SUBMIT, AccessAction.UPDATE)]
    assert submits and all(e.channel == AccessChannel.HL7 for e in submits)
    assert submits[0].action == AccessAction.SUBMIT
    assert submits[0].organization.identifier == orgs.SUNRISE_PEDIATRICS
    # Each message's own time, over the past months and years, not the moment of the load.
    now = datetime.now(UTC).replace(tzinfo=None)
    times = {e.occurred_at.replace(tzinfo=None) for e in events}
    assert len(times) == len(events) and max(times) < now
    assert min(times).date() <= sofia_spec.birth_date.replace(year=sofia_spec.birth_date.year + 1)
    # The pharmacy's query of the locked record was refused by the exchange.
    refused = [e for e in events if e.outcome == AccessOutcome.DENIED]
    assert [(e.organization.identifier, e.action) for e in refused] == [
        (orgs.BLOSSOM_TRAIL_PHARMACY, AccessAction.QUERY)
    ]


def test_a_rerun_sends_nothing(app: Flask, db: Session, story: Dataset) -> None:
    with app.app_context():
        send_through_exchange(app, story, _exchange_credentials)
        again = send_through_exchange(app, story, _exchange_credentials)
    assert again.created == [] and again.vxu == 0
    assert db.scalar(sa.select(sa.func.count()).select_from(Patient)) == len(STORY)


def test_an_answer_other_than_aa_stops_the_demo(app: Flask, db: Session, story: Dataset) -> None:
    with app.app_context():
        sent = send_through_exchange(app, story, _exchange_credentials)
        exchange = Exchange(app, sent.credentials)
        patient = OutgoingPatient(
            "MR-1", "Ana", "Lopez", date(2020, 1, 15), "F",
            doses=(OutgoingDose("D-1", "08", date(2020, 1, 15)),),
        )  # fmt: skip
        at = datetime(2026, 1, 5, 18, tzinfo=UTC)
        with exchange_config(app, exchange.clock), pytest.raises(ExchangeRefused):
            exchange.submit(orgs.ELEMENTARY_SCHOOL, patient, at)  # a school may not report


def test_the_load_config_is_gone_afterwards(app: Flask) -> None:
    clock = DemoClock()
    with exchange_config(app, clock):
        assert app.config["EXCHANGE_CLOCK"] is clock
    for key in ("EXCHANGE_CLOCK", "EXCHANGE_REGISTRY_IDS", "EXCHANGE_QUERY_FLOOR_SECONDS",
                "EXCHANGE_LIMIT_PER_ORGANIZATION", "EXCHANGE_LIMIT_PER_ADDRESS"):  # fmt: skip
        assert key not in app.config
