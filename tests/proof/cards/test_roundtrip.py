"""Issue a realistic childhood record, print it as QR, scan it back and verify it."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from portal.proof.cards import (
    CardDose,
    CardPatient,
    KeyDirectory,
    build_bundle,
    decode_qr_image,
    generate_key,
    jws_to_qr_chunks,
    public_jwk,
    public_jwks,
    qr_chunks_to_jws,
    qr_png,
    record_rid,
    sign_card,
    verify_card,
    verify_qr_images,
)

ISSUER = "https://cair.example.gov/shc"
NBF = 1735689600  # 2025-01-01T00:00:00Z
NOW = datetime(2025, 6, 1, tzinfo=UTC)
# A California kindergarten-entry series: (CVX, doses).
SCHEDULE = [("08", 3), ("20", 5), ("49", 4), ("10", 4), ("133", 4), ("116", 3), ("03", 2), ("21", 2),
            ("83", 2), ("115", 1)]  # fmt: skip


@pytest.fixture(scope="module")
def key() -> dict[str, str]:
    return generate_key()


@pytest.fixture(scope="module")
def child() -> tuple[CardPatient, list[CardDose]]:
    born = date(2019, 3, 14)
    doses = []
    for series, (cvx, count) in enumerate(SCHEDULE):
        for n in range(count):
            doses.append(
                CardDose(
                    cvx=cvx,
                    occurred_on=born + timedelta(days=61 * n + series),
                    lot=f"L{series}{n}X{7 * series + n:03d}",
                    performer="Sunnyvale Pediatrics" if n % 2 else "Santa Clara County PHD",
                )
            )
    return CardPatient(given=["Ana", "Sofía"], family="García-López", birth_date=born), doses


@pytest.fixture(scope="module")
def card(child, key) -> str:
    patient, doses = child
    rid = record_rid(b"k" * 32, "cair-patient-123", kid=key["kid"])
    return sign_card(build_bundle(patient, doses), issuer=ISSUER, key=key, nbf=NBF, rid=rid)


@pytest.fixture(scope="module")
def directory(key) -> KeyDirectory:
    return KeyDirectory({ISSUER: public_jwks([key])})


def test_thirty_doses_round_trip_through_qr_text(card, child, directory):
    patient, doses = child
    assert len(doses) == 30
    chunks = jws_to_qr_chunks(card)
    assert qr_chunks_to_jws(chunks) == card

    result = verify_card("\n".join(chunks), keys_for_issuer=directory.keys_for_issuer, now=NOW)

    assert result.status == "authentic", result.errors
    assert result.errors == []
    summary = result.summary
    assert summary.name == "Ana Sofía García-López"
    assert summary.birth_date == patient.birth_date
    assert [(d.cvx, d.occurred_on, d.lot, d.performer) for d in summary.doses] == [
        (d.cvx, d.occurred_on, d.lot, d.performer) for d in doses
    ]


def test_chunked_only_above_the_single_qr_limit(card):
    chunks = jws_to_qr_chunks(card)
    if len(card) <= 1195:
        assert chunks == ["shc:/" + chunks[0][5:]] and "/" not in chunks[0][5:]
    else:
        assert len(chunks) == -(-len(card) // 1191)
        assert all(c.startswith(f"shc:/{i}/{len(chunks)}/") for i, c in enumerate(chunks, 1))


def test_independent_jwcrypto_verification(card, key):
    token = jwcrypto_jws.JWS()
    token.deserialize(card, key=jwcrypto_jwk.JWK(**public_jwk(key)))  # raises if the signature fails

    assert token.jose_header == {"zip": "DEF", "alg": "ES256", "kid": key["kid"]}
    payload = json.loads(zlib.decompress(token.payload, -15))  # raw DEFLATE, no zlib header
    assert payload["iss"] == ISSUER and payload["nbf"] == NBF
    assert payload["vc"]["type"] == ["https://smarthealth.cards#health-card", "https://smarthealth.cards#immunization"]
    assert payload["vc"]["credentialSubject"]["fhirVersion"] == "4.0.1"
    assert len(payload["vc"]["rid"]) <= 24
    with pytest.raises(zlib.error):
        zlib.decompress(token.payload)  # a zlib-wrapped stream would have passed here


def test_jwcrypto_rejects_a_tampered_card(card, key):
    header, payload, signature = card.split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    token = jwcrypto_jws.JWS()
    token.deserialize(f"{header}.{payload}.{flipped}")
    with pytest.raises(jwcrypto_jws.InvalidJWSSignature):
        token.verify(jwcrypto_jwk.JWK(**public_jwk(key)))


def test_printed_qr_scans_back_and_verifies(card, directory):
    chunks = jws_to_qr_chunks(card)
    images = [qr_png(chunk, scale=3) for chunk in chunks]

    assert [decode_qr_image(image) for image in images] == [[chunk] for chunk in chunks]
    result = verify_qr_images(list(reversed(images)), keys_for_issuer=directory.keys_for_issuer, now=NOW)
    assert result.status == "authentic", result.errors


def test_card_from_another_key_is_not_authentic(child, directory):
    patient, doses = child
    impostor = generate_key()
    forged = sign_card(build_bundle(patient, doses), issuer=ISSUER, key=impostor, nbf=NBF, rid=None)

    result = verify_card(forged, keys_for_issuer=directory.keys_for_issuer, now=NOW)

    # The impostor's kid is not in the issuer's key set: we cannot vouch for it.
    assert result.status == "unknown"
    assert result.kid == impostor["kid"]
