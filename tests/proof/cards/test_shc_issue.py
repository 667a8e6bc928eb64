"""Building the minified bundle and signing the card."""

from __future__ import annotations

import json
import zlib
from datetime import date

import pytest

from portal.proof.cards import (
    CardDose,
    CardPatient,
    build_bundle,
    card_payload,
    generate_key,
    sign_card,
    thumbprint,
)
from portal.proof.cards.codec import b64url_decode
from portal.proof.cards.fhir_check import check_bundle

ISSUER = "https://spec.smarthealth.cards/examples/issuer"
HEALTH_CARD = "https://smarthealth.cards#health-card"


def example_00_input() -> tuple[CardPatient, list[CardDose]]:
    hospital = "ABC General Hospital"
    return CardPatient(["John", "B."], "Anyperson", date(1951, 1, 20)), [
        CardDose("207", date(2021, 1, 1), "0000001", hospital),
        CardDose("207", date(2021, 1, 29), "0000007", hospital),
        CardDose("229", date(2022, 9, 5), "0000001", hospital),
    ]


def test_bundle_matches_the_official_example_00(examples):
    expected = json.loads((examples / "example-00-a-fhirBundle.json").read_text())
    bundle = build_bundle(*example_00_input())

    assert bundle == expected
    # Member order too, so the minified bytes are the example's bytes.
    assert json.dumps(bundle, separators=(",", ":")) == json.dumps(
        expected, separators=(",", ":")
    )


def test_payload_matches_the_official_example_00(examples):
    expected = json.loads(
        (examples / "example-00-c-jws-payload-minified.json").read_text()
    )
    payload = card_payload(
        build_bundle(*example_00_input()),
        issuer=ISSUER,
        nbf=1715107763,
        rid="MKyCxh7p6uQ",
        types=[HEALTH_CARD],
    )
    assert payload == expected | {"nbf": 1715107763}


def test_bundle_is_minified_and_clean():
    patient = CardPatient(["  Mary ", ""], "Smith", date(2020, 2, 29))
    bundle = build_bundle(
        patient, [CardDose("3", date(2021, 3, 1), lot="  ", performer=None)]
    )

    findings = check_bundle(bundle)
    assert (findings.errors, findings.warnings) == ([], [])
    patient_resource, immunization = (e["resource"] for e in bundle["entry"])
    assert patient_resource["name"] == [{"family": "Smith", "given": ["Mary"]}]
    assert "lotNumber" not in immunization and "performer" not in immunization
    assert [e["fullUrl"] for e in bundle["entry"]] == ["resource:0", "resource:1"]
    assert not {"id", "meta", "text"} & _all_keys(bundle)


def _all_keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _all_keys(v)}
    return set()


@pytest.mark.parametrize(
    ("patient", "doses"),
    [
        (CardPatient([], " ", date(2020, 1, 1)), [CardDose("08", date(2020, 1, 1))]),
        (CardPatient(["A"], "B", date(2020, 1, 1)), []),
        (
            CardPatient(["A"], "B", date(2020, 1, 1)),
            [CardDose("MMR", date(2020, 1, 1))],
        ),
        (
            CardPatient(["A"], "B", date(2020, 1, 1)),
            [CardDose("0123", date(2020, 1, 1))],
        ),
    ],
    ids=["no-name", "no-doses", "not-cvx", "four-digits"],
)
def test_bundle_refuses_bad_input(patient, doses):
    with pytest.raises(ValueError):
        build_bundle(patient, doses)


def test_signed_card_layout():
    key = generate_key()
    bundle = build_bundle(*example_00_input())
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=1700000000, rid="abc_-123")
    header, payload, signature = jws.split(".")

    assert (
        b64url_decode(header)
        == json.dumps(
            {"zip": "DEF", "alg": "ES256", "kid": thumbprint(key)},
            separators=(",", ":"),
        ).encode()
    )
    assert len(b64url_decode(signature)) == 64  # raw R||S, not DER
    inflated = zlib.decompress(b64url_decode(payload), -15)
    assert (
        inflated
        == json.dumps(
            json.loads(inflated), separators=(",", ":"), ensure_ascii=False
        ).encode()
    )
    claims = json.loads(inflated)
    assert claims["vc"]["type"] == [
        HEALTH_CARD,
        "https://smarthealth.cards#immunization",
    ]
    assert claims["vc"]["rid"] == "abc_-123" and claims["nbf"] == 1700000000
    assert "exp" not in claims


def test_exp_and_no_rid():
    key = generate_key()
    jws = sign_card(
        build_bundle(*example_00_input()),
        issuer=ISSUER,
        key=key,
        nbf=10,
        rid=None,
        exp=20,
    )
    claims = json.loads(zlib.decompress(b64url_decode(jws.split(".")[1]), -15))
    assert claims["exp"] == 20 and "rid" not in claims["vc"]


@pytest.mark.parametrize(
    "change",
    [
        {"issuer": "http://cair.example.gov"},
        {"issuer": "https://cair.example.gov/"},
        {"rid": "has space"},
        {"rid": "x" * 25},
        {"types": ["https://smarthealth.cards#immunization"]},
        {"nbf": 1.5},
        {"nbf": True},
        {"exp": 5},
    ],
    ids=[
        "http",
        "slash",
        "rid-alphabet",
        "rid-length",
        "no-health-card",
        "float-nbf",
        "bool-nbf",
        "exp-before-nbf",
    ],
)
def test_sign_card_refuses_what_the_spec_forbids(change):
    options = {
        "issuer": ISSUER,
        "key": generate_key(),
        "nbf": 10,
        "rid": "abc",
    } | change
    with pytest.raises(ValueError):
        sign_card(build_bundle(*example_00_input()), **options)
