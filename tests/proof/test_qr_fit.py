"""How many doses fit one version-22 QR code, and what the card drops to keep it one code.

Measured with varied vaccines (18 CVX codes in turn), dates 97 days apart and three
clinic names; the figures are pinned here and quoted in issuance._fitting_jws.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from portal.proof.cards import (
    DEFAULT_TYPES,
    CardDose,
    CardPatient,
    build_bundle,
    generate_key,
    qr_chunks_to_jws,
    sign_card,
)
from portal.proof.cards.codec import b64url_decode, inflate_raw
from portal.proof.cards.qr import MAX_SINGLE_JWS, decode_qr_chunks
from portal.proof.issuance import _fitting_jws

CVX = ["20", "10", "08", "49", "133", "03", "21", "116", "110", "120", "94", "115", "62",
       "114", "88", "83", "141", "150"]  # fmt: skip
CLINICS = ["Fresno County Public Health Clinic", "Valley Children's Pediatrics",
           "CVS Pharmacy #1234"]  # fmt: skip


def _card(make, issue, count: int) -> tuple[list[str], list[dict]]:
    patient = make.patient(
        first_name="Maria", middle_name="Elena", last_name="Lopez-Garcia",
        birth_date=date(2009, 3, 14),
    )  # fmt: skip
    orgs = [make.org(name=name) for name in CLINICS]
    for i in range(count):
        make.dose(
            patient,
            cvx_code=CVX[i % len(CVX)],
            given_on=date(2009, 5, 1) + timedelta(days=97 * i),
            administering_org=orgs[i % 3],
        )
    chunks = issue(patient).qr_chunks
    jws = decode_qr_chunks(chunks).jws
    payload = json.loads(inflate_raw(b64url_decode(jws.split(".")[1])))
    entries = payload["vc"]["credentialSubject"]["fhirBundle"]["entry"][1:]
    return chunks, [e["resource"] for e in entries]


WITH_WHO_GAVE_IT = 20  # doses in one code with each dose's performer
WITHOUT = 32  # with the performers dropped (31) and the doses ordered by vaccine (32)
SIGN = {
    "issuer": "https://myshots.example.gov",
    "key": generate_key(),
    "nbf": 1_796_160_000,
    "rid": "AbCdEfGhIjK",  # 11 characters, as record_rid makes them
    "types": DEFAULT_TYPES,
}
PERSON = CardPatient(given=["Maria", "Elena"], family="Lopez-Garcia", birth_date=date(2009, 3, 14))


def _doses(count: int) -> list[CardDose]:
    return [
        CardDose(
            cvx=CVX[i % len(CVX)],
            occurred_on=date(2009, 5, 1) + timedelta(days=97 * i),
            performer=CLINICS[i % 3],
        )
        for i in range(count)
    ]


def _fits(doses: list[CardDose]) -> bool:
    return len(sign_card(build_bundle(PERSON, doses), **SIGN)) <= MAX_SINGLE_JWS


def test_the_measured_thresholds() -> None:
    """With a fixed rid and nbf the sizes are exact (the signature's length is fixed)."""
    assert _fits(_doses(WITH_WHO_GAVE_IT)) and not _fits(_doses(WITH_WHO_GAVE_IT + 1))
    bare = [replace(d, performer=None) for d in _doses(WITHOUT + 1)]
    assert _fits(bare[:31]) and not _fits(bare[:32])  # by date
    assert len(_fitting_jws(PERSON, _doses(WITHOUT), SIGN)) <= MAX_SINGLE_JWS
    assert len(_fitting_jws(PERSON, _doses(WITHOUT + 1), SIGN)) > MAX_SINGLE_JWS


@pytest.mark.parametrize(
    ("count", "codes", "performer"),
    [
        (WITH_WHO_GAVE_IT - 1, 1, True),
        (WITH_WHO_GAVE_IT + 2, 1, False),
        (WITHOUT - 1, 1, False),
        (WITHOUT + 3, 2, False),
    ],
)
def test_a_printed_card_drops_optional_parts_before_it_splits(
    make, issue, count, codes, performer
) -> None:
    """Through issuance, with a real rid and nbf: a dose either side of each threshold,
    as those change the compressed size by a few characters."""
    chunks, doses = _card(make, issue, count)
    assert len(chunks) == codes
    assert len(doses) == count
    assert all(("performer" in d) is performer for d in doses)
    if codes == 1:
        assert len(qr_chunks_to_jws(chunks)) <= MAX_SINGLE_JWS
