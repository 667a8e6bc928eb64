"""Mutated VXUs (and the seeds' QBPs) posted to /exchange/hl7 (the mutations of
test_fuzz.py): never a 500 (a 413 only past the size limit), always a readable ACK,
and never half a record. 300 messages, derandomized; each one either wrote
nothing (AR, or an error) or left a record with its submit event; every stored patient
keeps an access event, every dose a patient."""

from __future__ import annotations

import random

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.exchange import query
from portal.exchange.hl7 import parse
from portal.exchange.models import PatientIdentifier
from portal.exchange.views import MAX_BODY
from portal.registry import AccessAction, AccessEvent, AccessOutcome, Immunization, Patient

from .client import errors, msa, sender
from .test_fuzz import SEEDS, mutate

EXAMPLES = 60  # x PER_EXAMPLE: 300 messages
PER_EXAMPLE = 5


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _counts(db) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    db.expire_all()
    return tuple(_count(db, m) for m in (Patient, Immunization, PatientIdentifier))


def test_mutated_vxus_never_500_and_never_leave_half_a_record(app, db, make, monkeypatch) -> None:
    monkeypatch.setattr(query, "FLOOR_SECONDS", 0.0)  # the seeds' QBPs need not wait it out
    client = app.test_client()
    clinic = sender(db, make)

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(seed=st.sampled_from(SEEDS), salt=st.integers(0, 2**32 - 1))
    def run(seed: bytes, salt: int) -> None:
        rng = random.Random(salt)
        for _ in range(PER_EXAMPLE):
            data = mutate(rng, seed)
            before, events = _counts(db), _count(db, AccessEvent)
            answer = clinic.post(client, data)
            if len(data) > MAX_BODY:  # a huge field past the transport's limit: unread
                assert answer.status_code == 413 and _counts(db) == before
                continue
            assert answer.status_code == 200, answer.status_code
            ack = parse(answer.data)
            verdict, severities = msa(ack), [sev for _, sev in errors(ack)]
            assert verdict in ("AA", "AE", "AR")
            after = _counts(db)
            new_events = db.scalars(sa.select(AccessEvent).order_by(AccessEvent.id.desc())
                                    .limit(_count(db, AccessEvent) - events)).all()  # fmt: skip
            if ack.header.message_type.startswith("RSP"):  # a (mutated) query: reads only
                assert after == before
                assert all(e.action in (AccessAction.QUERY, AccessAction.MATCH)
                           for e in new_events)  # fmt: skip
            elif verdict == "AR" or "E" in severities:
                assert after == before  # nothing written
                assert all(e.outcome is AccessOutcome.DENIED for e in new_events)
            else:  # stored: one allowed event for the record it wrote
                assert [e.outcome for e in new_events] == [AccessOutcome.ALLOWED]
        orphans = db.scalar(
            sa.select(sa.func.count()).select_from(Patient)
            .where(~sa.exists().where(AccessEvent.patient_id == Patient.id))
        )  # fmt: skip
        assert orphans == 0

    run()
