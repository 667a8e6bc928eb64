"""Verifier decisions on cards built here: trust, tampering and strict parsing."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from portal.proof.cards import (
    CardDose,
    CardPatient,
    KeyDirectory,
    Reason,
    build_bundle,
    generate_key,
    jws_to_qr_chunks,
    public_jwk,
    public_jwks,
    sign_card,
    sign_payload,
    verify_card,
    verify_cards,
)
from portal.proof.cards.codec import b64url_encode, deflate_raw
from portal.proof.cards.keys import private_key_object

ISSUER = "https://cair.example.gov/shc"
NBF = 1735689600
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def key() -> dict[str, str]:
    return generate_key()


@pytest.fixture(scope="module")
def bundle() -> dict:
    patient = CardPatient(["Lee"], "Park", date(2018, 5, 5))
    return build_bundle(patient, [CardDose("03", date(2019, 5, 6), "M123", "Clinic")])


@pytest.fixture(scope="module")
def jwks(key) -> dict:
    return public_jwks([key])


def check(text: str, jwks: dict, **options):
    options.setdefault("now", NOW)
    return verify_card(
        text, keys_for_issuer=lambda iss: jwks if iss == ISSUER else None, **options
    )


def payload_bytes(bundle: dict, **claims) -> bytes:
    payload = {
        "iss": ISSUER,
        "nbf": NBF,
        "vc": {
            "type": [
                "https://smarthealth.cards#health-card",
                "https://smarthealth.cards#immunization",
            ],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": bundle},
        },
    } | claims
    return json.dumps(payload, separators=(",", ":")).encode()


def forge(header: dict, payload: bytes, key: dict) -> str:
    """A JWS with an arbitrary header, validly signed, to probe the header checks."""
    encoded_header = b64url_encode(json.dumps(header).encode())
    signing_input = f"{encoded_header}.{b64url_encode(deflate_raw(payload))}"
    der = private_key_object(key).sign(
        signing_input.encode(), ec.ECDSA(hashes.SHA256())
    )
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input}.{b64url_encode(raw)}"


def test_authentic_in_all_three_input_forms(key, bundle, jwks):
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid="r1")
    file_text = json.dumps({"verifiableCredential": [jws]})
    for text in (jws, jws_to_qr_chunks(jws)[0], file_text):
        result = check(text, jwks)
        assert (result.status, result.errors, result.warnings) == ("authentic", [], [])
        assert (result.issuer, result.kid, result.nbf, result.rid) == (
            ISSUER,
            key["kid"],
            NBF,
            "r1",
        )
        assert result.is_authentic


def test_tampered_payload_fails_the_signature(key, bundle, jwks):
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    eve = CardPatient(["Eve"], "X", date(2018, 5, 5))
    other_bundle = build_bundle(eve, [CardDose("03", date(2019, 5, 6))])
    other = sign_card(other_bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    spliced = ".".join([jws.split(".")[0], other.split(".")[1], jws.split(".")[2]])

    result = check(spliced, jwks)
    assert result.status == "not_authentic"
    assert result.errors == [Reason.JWS_VERIFICATION_ERROR]


def test_unknown_and_untrusted_issuers(key, bundle, jwks):
    jws = sign_card(
        bundle, issuer="https://elsewhere.example.org", key=key, nbf=NBF, rid=None
    )
    assert check(jws, jwks).status == "unknown"
    assert check(jws, jwks).errors == [Reason.UNKNOWN_ISSUER]

    ours = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    untrusted = check(ours, jwks, trusted_issuers={"https://other.example.org"})
    assert (untrusted.status, untrusted.errors) == ("unknown", [Reason.UNKNOWN_ISSUER])
    assert check(ours, jwks, trusted_issuers={ISSUER}).status == "authentic"


def test_key_of_another_known_issuer_is_a_mismatch(key, bundle, jwks):
    directory = KeyDirectory(
        {ISSUER: jwks, "https://other.example.org": public_jwks([generate_key()])}
    )
    stranger = generate_key()
    directory.add("https://stranger.example.org", public_jwks([stranger]))
    forged = sign_card(bundle, issuer=ISSUER, key=stranger, nbf=NBF, rid=None)

    result = verify_card(
        forged,
        keys_for_issuer=directory.keys_for_issuer,
        issuer_for_kid=directory.issuer_for_kid,
        now=NOW,
    )
    assert (result.status, result.errors) == (
        "not_authentic",
        [Reason.ISSUER_KID_MISMATCH],
    )


def test_key_listed_under_a_kid_that_is_not_its_thumbprint(key, bundle):
    mislabelled = {"keys": [public_jwk(key) | {"kid": "label-only"}]}
    jws = forge(
        {"zip": "DEF", "alg": "ES256", "kid": "label-only"}, payload_bytes(bundle), key
    )
    result = check(jws, mislabelled)
    assert result.status == "not_authentic"
    assert Reason.INVALID_KEY_WRONG_KID in result.errors


@pytest.mark.parametrize(
    "header",
    [
        {"zip": "DEF", "alg": "none", "kid": "K"},
        {"zip": "DEF", "alg": "HS256", "kid": "K"},
        {"zip": "DEF", "alg": "ES256", "kid": "K", "crit": ["exp"]},
        {"zip": "GZIP", "alg": "ES256", "kid": "K"},
    ],
    ids=["alg-none", "alg-hs256", "crit", "zip"],
)
def test_header_must_be_exactly_es256_def(key, bundle, jwks, header):
    header = header | {"kid": key["kid"]}
    result = check(forge(header, payload_bytes(bundle), key), jwks)
    assert result.status == "not_authentic"
    assert Reason.JWS_HEADER_ERROR in result.errors


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"iss":"a","iss":"b"}', Reason.JSON_PARSE_ERROR),  # duplicate members
        (b'{"nbf":NaN}', Reason.JSON_PARSE_ERROR),
        (b"\xff\xfe{}", Reason.JSON_PARSE_ERROR),  # not UTF-8
        (b"[]", Reason.JSON_PARSE_ERROR),
    ],
    ids=["duplicate-key", "nan", "not-utf8", "array"],
)
def test_payload_must_be_strict_json(key, jwks, payload, reason):
    result = check(sign_payload(payload, key=key), jwks)
    assert result.status == "not_authentic"
    assert reason in result.errors


def test_decompression_bomb_is_refused(key, jwks, bundle):
    bomb = payload_bytes(bundle)[:-1] + b',"pad":"' + b" " * 2_000_000 + b'"}'
    result = check(sign_payload(bomb, key=key), jwks)
    assert result.errors[:1] == [Reason.INFLATION_ERROR]


def test_a_payload_forty_times_the_largest_example_is_refused(key, jwks, bundle):
    """Each crafted kilobyte costs parsing and checking time on an anonymous /verify."""
    objects = b"[" + b",".join([b"{}"] * 150_000) + b"]"  # 300 kB, about 1 kB deflated
    payload = payload_bytes(bundle)[:-1] + b',"pad":' + objects + b"}"
    result = check(sign_payload(payload, key=key), jwks)
    assert result.errors[:1] == [Reason.INFLATION_ERROR]


def test_revocation_callback_gets_kid_rid_and_whole_second_nbf(key, bundle, jwks):
    jws = sign_payload(
        payload_bytes(bundle, nbf=NBF + 0.75).replace(b'"type"', b'"rid":"R9","type"'),
        key=key,
    )
    calls = []

    def revoked(kid: str, rid: str, nbf: int) -> bool:
        calls.append((kid, rid, nbf))
        return True

    result = check(jws, jwks, revoked=revoked)
    assert calls == [(key["kid"], "R9", NBF)]
    assert (result.status, result.errors) == ("revoked", [Reason.REVOCATION_ERROR])


def test_bad_rid_is_refused(key, bundle, jwks):
    jws = sign_payload(
        payload_bytes(bundle).replace(b'"type"', b'"rid":"not base64!","type"'), key=key
    )
    assert Reason.REVOCATION_ERROR in check(jws, jwks).errors


def test_leeway_for_a_slow_verifier_clock(key, bundle, jwks):
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    issued = datetime.fromtimestamp(NBF, UTC)
    assert check(jws, jwks, now=issued - timedelta(minutes=4)).status == "authentic"
    assert check(jws, jwks, now=issued - timedelta(minutes=6)).errors == [
        Reason.NOT_YET_VALID
    ]
    assert (
        check(jws, jwks, now=issued - timedelta(seconds=1), leeway=timedelta(0)).status
        == "not_authentic"
    )


def test_expired_card_is_refused(key, bundle, jwks):
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None, exp=NBF + 3600)
    assert (
        check(jws, jwks, now=datetime.fromtimestamp(NBF + 60, UTC)).status
        == "authentic"
    )
    assert check(jws, jwks).errors == [Reason.EXPIRATION_ERROR]


def test_naive_now_is_a_programming_error(key, bundle, jwks):
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    with pytest.raises(ValueError):
        check(jws, jwks, now=datetime(2025, 1, 1))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", Reason.JSON_PARSE_ERROR),
        ("a.b", Reason.JSON_PARSE_ERROR),
        ("{not json", Reason.JSON_PARSE_ERROR),
        ('{"verifiableCredential": []}', Reason.SCHEMA_ERROR),
        ('{"verifiableCredential": [1]}', Reason.SCHEMA_ERROR),
        ('{"other": 1}', Reason.SCHEMA_ERROR),
        (json.dumps({"verifiableCredential": ["a.b.c"] * 21}), Reason.SCHEMA_ERROR),
    ],
)
def test_malformed_input(jwks, text, reason):
    result = check(text, jwks)
    assert result.status == "not_authentic"
    assert reason in result.errors


def test_file_with_two_cards(key, bundle, jwks):
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    text = json.dumps({"verifiableCredential": [jws, jws]})

    assert check(text, jwks).errors == [Reason.MULTIPLE_CARDS]
    results = verify_cards(text, keys_for_issuer=lambda iss: jwks, now=NOW)
    assert [r.status for r in results] == ["authentic", "authentic"]


def test_whitespace_between_chunks_is_fine_but_not_around(key, bundle, jwks):
    lots = [
        hashlib.sha256(bytes([i])).hexdigest()[:12] for i in range(60)
    ]  # incompressible
    doses = [CardDose("03", date(2019, 5, 6), lot) for lot in lots]
    big = build_bundle(CardPatient(["Lee"], "Park", date(2018, 5, 5)), doses)
    jws = sign_card(big, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    chunks = jws_to_qr_chunks(jws)
    assert len(chunks) >= 2
    assert check(" \n\t".join(chunks), jwks).status == "authentic"
    assert check("\n".join(chunks) + "\n", jwks).errors[0] == Reason.TRAILING_CHARACTERS


def test_an_enormous_integer_nbf_is_rejected_not_a_crash() -> None:
    import json
    from datetime import UTC, datetime

    from portal.proof.cards import generate_key, sign_payload, verify_card

    payload = {
        "iss": "https://issuer.example",
        "nbf": 10**400,
        "vc": {
            "type": ["https://smarthealth.cards#health-card"],
            "credentialSubject": {
                "fhirVersion": "4.0.1",
                "fhirBundle": {"resourceType": "Bundle", "type": "collection", "entry": []},
            },
        },
    }
    jws = sign_payload(json.dumps(payload).encode(), key=generate_key())
    result = verify_card(jws, keys_for_issuer=lambda iss: None, now=datetime.now(UTC))
    assert result.status == "not_authentic"
    assert result.nbf is None


@pytest.mark.parametrize("levels", [900, 100_000])
def test_deeply_nested_json_is_refused_not_a_crash(key, jwks, bundle, levels):
    """Python's parser and the FHIR checks recurse; a crafted card must not make
    them raise RecursionError (a server error on /verify)."""
    deep = "[" * levels + "]" * levels
    file_text = '{"verifiableCredential":' + deep + "}"
    in_payload = payload_bytes(bundle)[:-1] + b',"pad":' + deep.encode() + b"}"
    patient = {"resource": {"resourceType": "Patient", "x": 0}}
    in_bundle = payload_bytes(dict(bundle, entry=[patient])).replace(
        b'"x":0', b'"x":' + deep.encode()
    )
    for text in (
        file_text,
        sign_payload(in_payload, key=key),
        sign_payload(in_bundle, key=key),
    ):
        result = check(text, jwks)
        assert result.status == "not_authentic"
        assert Reason.JSON_PARSE_ERROR in result.errors


def test_a_file_of_several_cards_is_refused_before_any_is_checked(key, bundle, jwks):
    """verify_card answers MULTIPLE_CARDS whatever the cards hold, so it must not
    spend the work of checking each (a cheap way to multiply a verifier's work)."""
    jws = sign_card(bundle, issuer=ISSUER, key=key, nbf=NBF, rid=None)
    asked = []

    def keys_for_issuer(iss: str) -> dict:
        asked.append(iss)
        return jwks

    text = json.dumps({"verifiableCredential": [jws] * 20})
    result = verify_card(text, keys_for_issuer=keys_for_issuer, now=NOW)
    assert (result.status, result.errors) == ("not_authentic", [Reason.MULTIPLE_CARDS])
    assert asked == []
