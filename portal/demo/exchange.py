"""The demo's history sent as organizations send it: each record a provider owns arrives
as VXU^V04 messages from the organizations that gave its doses (the owner's first: it
creates the record and owns it; PD1-12 = Y from the owner locks it), and each HL7 query
in the story is a QBP^Q11 from that organization. All go to POST /exchange/hl7 with the
organization's HTTP Basic credential, through the app's test client (no port), so the
records, owners, locks, guardians and the "who looked" events are what the exchange made.

The demo's app is configured for the load only (`exchange_config`): a clock set to each
message's realistic time, the dataset's own registry ids, no QBP answer floor, and
per-organization and per-address limits the load cannot reach. Every answer must be AA.
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from portal.db import db
from portal.exchange.hl7 import tables
from portal.exchange.hl7.outgoing import OutgoingDose, OutgoingPatient, build_qbp, build_vxu
from portal.registry import AccessAction, AccessChannel, DoseKind, Patient

from .dataset import Dataset
from .events import moment
from .loader import load_organizations
from .specs import DoseSpec, PatientSpec

LOAD_LIMIT = "1000000/minute"


class ExchangeRefused(RuntimeError):
    """An answer other than AA: the demo stops (its history would not be what it says)."""


@dataclass(slots=True)
class DemoClock:
    """What the exchange takes from the demo's app config while the demo sends."""

    now: datetime = field(default_factory=lambda: datetime.min)
    registry_id: str = ""

    def __call__(self) -> datetime:
        return self.now

    def registry_ids(self, session: Any) -> str:
        return self.registry_id


@contextmanager
def exchange_config(app: Flask, clock: DemoClock) -> Iterator[None]:
    keys = {
        "EXCHANGE_CLOCK": clock,
        "EXCHANGE_REGISTRY_IDS": clock.registry_ids,
        "EXCHANGE_QUERY_FLOOR_SECONDS": 0.0,
        "EXCHANGE_LIMIT_PER_ORGANIZATION": LOAD_LIMIT,
        "EXCHANGE_LIMIT_PER_ADDRESS": LOAD_LIMIT,
    }
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(keys)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                app.config.pop(key, None)
            else:
                app.config[key] = value


def sent_by_exchange(spec: PatientSpec, health_care: set[str]) -> bool:
    """A record a provider reported (not a birth certificate the registry loaded)."""
    return (
        spec.disclosed
        and spec.owner in health_care
        and all(d.org is None or d.org in health_care for d in spec.doses)
    )


@dataclass(slots=True)
class Sent:
    vxu: int = 0
    qbp: int = 0
    created: list[str] = field(default_factory=list)


class Exchange:
    def __init__(self, app: Flask, credentials: dict[str, tuple[str, str]]) -> None:
        self.client = app.test_client()
        self.headers = {
            org: {"Authorization": "Basic " + base64.b64encode(f"{u}:{p}".encode()).decode(),
                  "Content-Type": "text/plain"}
            for org, (u, p) in credentials.items()
        }  # fmt: skip
        self.clock = DemoClock()
        self.sent = Sent()
        self._serial = 0

    def _post(self, org: str, body: bytes) -> bytes:
        response = self.client.post("/exchange/hl7", data=body, headers=self.headers[org])
        answer: bytes = response.data
        msa = next((s for s in answer.split(b"\r") if s.startswith(b"MSA|")), b"")
        if response.status_code != 200 or not msa.startswith(b"MSA|AA|"):
            raise ExchangeRefused(f"the exchange answered {org}'s message with "
                                  f"{response.status_code} {answer[:400]!r}")  # fmt: skip
        return answer

    def _control_id(self) -> str:
        self._serial += 1
        return f"DEMO-{self._serial}"

    def submit(self, org: str, patient: OutgoingPatient, at: datetime) -> None:
        self.clock.now = at
        self._post(org, build_vxu(patient, facility=org, control_id=self._control_id(), now=at))
        self.sent.vxu += 1

    def query(self, org: str, spec: PatientSpec, at: datetime) -> None:
        self.clock.now = at
        self._post(org, build_qbp(
            facility=org, first_name=spec.first_name, last_name=spec.last_name,
            birth_date=spec.birth_date, sex=_sex(spec.sex.value), control_id=self._control_id(),
            now=at,
        ))  # fmt: skip
        self.sent.qbp += 1

    def send_record(self, spec: PatientSpec, rng: random.Random) -> None:
        """The owner's VXU first, on the record's first day (creating it with the dataset's
        registry id, and the owner's doses of that day), then each organization's remaining
        doses in one VXU at its last dose's time, in time order; for a locked record, last,
        the owner's VXU with PD1-12 = Y and PD1-13 the date the family chose."""
        owner = spec.owner
        assert owner is not None  # noqa: S101 - sent_by_exchange checked it
        numbered = list(enumerate(spec.doses))
        first_day = min((d.given_on for d in spec.doses), default=spec.birth_date)
        first = [(n, d) for n, d in numbered if (d.org or owner) == owner
                 and d.given_on <= first_day]  # fmt: skip
        self.clock.registry_id = spec.registry_id
        at = moment(first_day, rng)
        self.submit(owner, _patient(spec, owner, first, locked=None), at)
        by_org: dict[str, list[tuple[int, DoseSpec]]] = {}
        for n, d in numbered:
            if (n, d) not in first:
                by_org.setdefault(d.org or owner, []).append((n, d))
        visits = sorted((max(d.given_on for _, d in doses), org, doses)
                        for org, doses in by_org.items())  # fmt: skip
        for last, org, doses in visits:  # each after the one before, if the same day
            at = max(moment(last, rng), at + timedelta(minutes=7))
            self.submit(org, _patient(spec, org, doses, locked=None), at)
        if not spec.shared:
            on = spec.sharing_effective_on or spec.birth_date
            ours = [(n, d) for n, d in numbered if (d.org or owner) == owner and d.given_on <= on]
            self.submit(owner, _patient(spec, owner, ours[-1:], locked=True, on=on),
                        max(moment(on, rng), at + timedelta(minutes=7)))  # fmt: skip
        self.sent.created.append(spec.registry_id)

    def send_queries(self, specs: list[PatientSpec]) -> None:
        for spec in specs:
            for a in spec.access:
                if a.channel == AccessChannel.HL7 and a.action == AccessAction.QUERY and a.org:
                    # A newborn's story may date a query before the birth: the birth's day.
                    born = datetime.combine(spec.birth_date, a.occurred_at.timetz())
                    self.query(a.org, spec, max(a.occurred_at, born))


def _sex(code: str) -> str:
    """HL7 0001 as the CDC guide has it (F, M, U): the dataset's X is sent as U."""
    return code if code in tables.SEX else "U"


def _mvx(code: str | None) -> str | None:
    """The manufacturer when the registry's MVX table knows it (the dataset's MSP is not:
    left out rather than answered with a warning)."""
    return code if code in tables.MVX else None


def _digits(phone: str | None) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    return digits if len(digits) == 10 else None


def _patient(spec: PatientSpec, org: str, doses: list[tuple[int, DoseSpec]], *,
             locked: bool | None, on: date | None = None) -> OutgoingPatient:  # fmt: skip
    given, _, family = (spec.guardian_name or "").rpartition(" ")
    return OutgoingPatient(
        identifier=f"MR-{spec.registry_id}", first_name=spec.first_name,
        last_name=spec.last_name, birth_date=spec.birth_date, sex=_sex(spec.sex.value),
        middle_name=spec.middle_name, street=spec.address_street, city=spec.address_city,
        state="CA" if spec.address_street else None, zip=spec.address_zip,
        phone=_digits(spec.phone), email=spec.email,
        guardian_given=given or None, guardian_family=family or None,
        registry_id=None if org == spec.owner else spec.registry_id,
        locked=locked, locked_on=on,
        doses=tuple(
            OutgoingDose(f"{spec.registry_id}-{n}", d.cvx, d.given_on,
                         historical=d.kind is DoseKind.HISTORICAL, mvx=_mvx(d.mvx), lot=d.lot)
            for n, d in doses
        ),
    )  # fmt: skip


@dataclass(slots=True)
class SentHistory:
    created: list[str]
    vxu: int
    qbp: int
    credentials: dict[str, tuple[str, str]]


# (session, secret, organization identifiers) -> (name, USERNAME, PASSWORD) each.
Credentials = Callable[[Session, str, tuple[str, ...]], list[tuple[str, str, str]]]


def send_through_exchange(app: Flask, dataset: Dataset, credentials: Credentials) -> SentHistory:
    """The records providers reported and not yet in the registry, sent as their VXUs;
    the organizations and their credentials committed first (the messages' requests
    commit on their own). Call within an app context."""
    with db.transaction() as session:
        found = load_organizations(session, dataset.organizations, {})
        health_care = {i for i, o in found.items() if o.is_health_care}
        by_name = {o.name: i for i, o in found.items()}
        creds = {by_name[name]: (user, password) for name, user, password
                 in credentials(session, app.config["SECRET_KEY"], tuple(found))}  # fmt: skip
        known = set(session.scalars(sa.select(Patient.registry_id)))
    specs = [s for s in dataset.patients
             if s.registry_id not in known and sent_by_exchange(s, health_care)]  # fmt: skip
    exchange = Exchange(app, creds)
    rng = random.Random("demo-exchange")
    with exchange_config(app, exchange.clock):
        for spec in specs:
            exchange.send_record(spec, rng)
    return SentHistory(exchange.sent.created, exchange.sent.vxu, 0, creds)


def send_queries(app: Flask, dataset: Dataset, credentials: dict[str, tuple[str, str]]) -> int:
    """The story's HL7 queries, once every record is in; how many were sent."""
    exchange = Exchange(app, credentials)
    with exchange_config(app, exchange.clock):
        exchange.send_queries(dataset.patients)
    return exchange.sent.qbp
