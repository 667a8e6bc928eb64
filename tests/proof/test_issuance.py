"""Issuing a card for a record: its content and its row (revocation: test_revocation.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.proof.cards import (
    hash_short_code,
    qr_chunks_to_jws,
    thumbprint,
)
from portal.proof.cards.codec import b64url_decode, inflate_raw
from portal.proof.issuance import NothingToPrint
from portal.proof.models import IssuedCard
from tests.proof.conftest import ISSUER


def payload_of(jws: str) -> dict:
    return json.loads(inflate_raw(b64url_decode(jws.split(".")[1])))


def test_card_carries_name_birth_date_and_live_doses_only(db, child, issue, keyring) -> None:
    proof = issue(child)
    card = db.scalars(sa.select(IssuedCard)).one()
    assert qr_chunks_to_jws(proof.qr_chunks) == card.jws
    payload = payload_of(card.jws)
    assert payload["iss"] == ISSUER
    assert payload["nbf"] == card.nbf == proof.nbf
    assert payload["vc"]["rid"] == card.rid == proof.rid
    entries = [e["resource"] for e in payload["vc"]["credentialSubject"]["fhirBundle"]["entry"]]
    person, *doses = entries
    assert person["name"] == [{"family": "Lopez", "given": ["Maria", "Elena"]}]
    assert person["birthDate"] == "2019-03-14"
    assert [d["vaccineCode"]["coding"][0]["code"] for d in doses] == ["03", "21"]  # 115 deleted
    assert [d["performer"][0]["actor"]["display"] for d in doses] == [
        child.owner.name,
        "Clinica del Valle, Tijuana",
    ]
    text = json.dumps(payload)
    for private in ("address", "telecom", "12 Elm St", "5595550123", "Fresno", "Ana Lopez"):
        assert private not in text


def test_row_keeps_only_the_hash_of_the_short_code(db, child, issue, keyring) -> None:
    proof = issue(child)
    card = db.scalars(sa.select(IssuedCard)).one()
    assert card.short_code_hash == hash_short_code(proof.short_code)
    assert proof.short_code not in card.short_code_hash
    assert card.kid == keyring.kid == thumbprint(keyring.signing_key)
    assert card.patient_id == child.id
    assert card.revoked_at is None


def test_a_record_without_doses_cannot_be_printed(db, make, issue) -> None:
    patient = make.patient()
    make.dose(patient, deleted=True)
    with pytest.raises(NothingToPrint):
        issue(patient)
    assert db.scalar(sa.select(sa.func.count()).select_from(IssuedCard)) == 0


def test_issued_at_is_stored_in_utc_and_matches_the_signed_nbf(db, child, issue) -> None:
    proof = issue(child)
    card = db.scalars(sa.select(IssuedCard)).one()
    assert card.issued_at == proof.issued_at
    assert proof.issued_at.utcoffset() == timedelta(0)
    assert abs(proof.issued_at.timestamp() - proof.nbf) < 2


def test_a_long_record_drops_who_gave_each_dose_to_stay_in_one_qr(db, make, issue) -> None:
    patient = make.patient()
    clinics = [make.org(name=f"Fresno County Immunization Clinic number {n}") for n in range(8)]
    for n in range(36):
        given_on = date(2019, 1, 1) + timedelta(days=30 * n)
        make.dose(patient, cvx_code="88", given_on=given_on, administering_org=clinics[n % 8])
    proof = issue(patient)
    assert len(proof.qr_chunks) == 1
    subject = payload_of(qr_chunks_to_jws(proof.qr_chunks))["vc"]["credentialSubject"]
    entries = subject["fhirBundle"]["entry"][1:]
    assert len(entries) == 36
    assert all("performer" not in e["resource"] for e in entries)


def test_a_card_with_a_covid_dose_carries_the_covid19_type(db, make, issue, keyring) -> None:
    """The spec: types other than health-card SHOULD be included when they apply; the
    dev-tools validator (and ours) warn when a COVID-19 vaccine lacks its type."""
    from datetime import UTC, datetime

    from portal.proof.cards import verify_card

    patient = make.patient()
    make.dose(patient, cvx_code="03", given_on=date(2020, 3, 20))
    make.dose(patient, cvx_code="208", given_on=date(2021, 5, 1))
    jws = qr_chunks_to_jws(issue(patient).qr_chunks)

    assert payload_of(jws)["vc"]["type"] == [
        "https://smarthealth.cards#health-card",
        "https://smarthealth.cards#immunization",
        "https://smarthealth.cards#covid19",
    ]
    directory = keyring.directory()
    result = verify_card(jws, keys_for_issuer=directory.keys_for_issuer, now=datetime.now(UTC))
    assert (result.status, result.errors, result.warnings) == ("authentic", [], [])


def test_a_card_without_covid_doses_has_no_covid19_type(db, child, issue) -> None:
    types = payload_of(qr_chunks_to_jws(issue(child).qr_chunks))["vc"]["type"]
    assert "https://smarthealth.cards#covid19" not in types
