"""A card printed by the portal verifies with an independent JOSE implementation (jwcrypto)."""

from __future__ import annotations

import json
import zlib

import sqlalchemy as sa
from jwcrypto import jwk, jws

from portal.proof.cards import build_bundle, qr_chunks_to_jws
from portal.proof.issuance import card_contents
from portal.proof.models import IssuedCard


def test_jwcrypto_verifies_our_card_with_our_published_jwks(client, db, child, issue) -> None:
    proof = issue(child)
    keys = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    compact = qr_chunks_to_jws(proof.qr_chunks)
    token = jws.JWS()
    token.deserialize(compact)
    header = token.jose_header
    assert header == {"alg": "ES256", "zip": "DEF", "kid": proof.kid}
    token.verify(keys.get_key(header["kid"]), alg="ES256")  # raises if the signature is wrong
    payload = json.loads(zlib.decompress(token.payload, wbits=-15))
    person, doses = card_contents(db, child)
    assert payload["vc"]["credentialSubject"]["fhirBundle"] == build_bundle(person, doses)
    assert payload["iss"] == "https://myshots.example.gov"
    assert payload["vc"]["rid"] == proof.rid
    assert db.scalar(sa.select(IssuedCard.jws)) == compact


def test_jwcrypto_refuses_a_tampered_card(client, child, issue) -> None:
    proof = issue(child)
    keys = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").get_data(as_text=True))
    header, payload, signature = qr_chunks_to_jws(proof.qr_chunks).split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    token = jws.JWS()
    token.deserialize(f"{header}.{flipped}.{signature}")
    try:
        token.verify(keys.get_key(proof.kid), alg="ES256")
    except jws.InvalidJWSSignature:
        return
    raise AssertionError("a tampered card verified")
