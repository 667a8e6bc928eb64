"""Fixtures for the proof feature: one signing key for the session, issuing helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.orm import utcnow
from portal.proof.cards import generate_key
from portal.proof.issuance import IssuedProof, issue_proof
from portal.proof.keyring import Keyring
from portal.registry import Patient
from tests.conformance import require

ISSUER = "https://myshots.example.gov"


@pytest.fixture(scope="session")
def card_key() -> dict[str, str]:
    return generate_key()


@pytest.fixture
def settings(settings: dict[str, Any], card_key: dict[str, str]) -> dict[str, Any]:
    settings["CARD_SIGNING_KEY"] = json.dumps(card_key)
    settings["ISSUER_URL"] = ISSUER + "/"  # a trailing slash is dropped from the issuer
    return settings


@pytest.fixture
def keyring(app: Flask) -> Keyring:
    return app.extensions["portal.proof.keyring"]


@pytest.fixture
def issue(db: Session, keyring: Keyring) -> Callable[..., IssuedProof]:
    """issue(patient, key=None): sign a card as the print view would, and commit it."""

    def sign(patient: Patient, *, key: dict[str, str] | None = None) -> IssuedProof:
        proof = issue_proof(
            db,
            patient,
            issuer_url=keyring.issuer,
            key=key or keyring.signing_key,
            rid_secret=keyring.rid_secret,
            now=utcnow(),
        )
        db.commit()
        return proof

    return sign


@pytest.fixture
def correct(db: Session) -> Callable[[Patient], int]:
    """correct(patient): what a correction of a dose does to the record's cards, committed."""
    from portal.proof.crl import revoke_cards_before

    def revoke(patient: Patient) -> int:
        point = revoke_cards_before(db, patient, utcnow())
        db.commit()
        return point

    return revoke


@pytest.fixture
def child(make: Any) -> Patient:
    """A child with three doses (one historical, one deleted) and a full address."""
    from datetime import date

    from portal.registry import DoseKind

    patient = make.patient(first_name="Maria", middle_name="Elena", last_name="Lopez")
    make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20))
    make.dose(
        patient,
        cvx_code="21",
        given_on=date(2020, 3, 20),
        kind=DoseKind.HISTORICAL,
        administering_org=None,
        administered_at_text="Clinica del Valle, Tijuana",
    )
    make.dose(patient, cvx_code="115", given_on=date(2021, 1, 5), deleted=True)
    return patient


def _shc_dir() -> Path:
    """PORTAL_CONFORMANCE_DIR/shc: skipped outside CI, failed in CI, when missing."""
    return require("shc", "SOURCE.md").parent


@pytest.fixture(scope="session")
def spec_example_qr() -> str:
    return (_shc_dir() / "spec-examples" / "example-00-f-qr-code-numeric-value-0.txt").read_text()
