"""Issuer keys: generation, loading, RFC 7638 thumbprints, published key sets."""

from __future__ import annotations

import json

import pytest

from portal.proof.cards import (
    CardKeyError,
    Reason,
    check_jwks,
    generate_key,
    load_private_key,
    public_jwk,
    public_jwks,
    thumbprint,
)

EXAMPLE_KID = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"


def test_thumbprint_of_the_example_key(example_jwks):
    key = example_jwks["keys"][0]
    assert thumbprint(key) == EXAMPLE_KID
    # Members outside the RFC 7638 set (kid, use, alg, crlVersion) do not count.
    assert (
        thumbprint({"kty": "EC", "crv": "P-256", "x": key["x"], "y": key["y"]})
        == EXAMPLE_KID
    )


def test_every_published_example_kid_is_its_thumbprint(example_jwks):
    assert [thumbprint(k) for k in example_jwks["keys"]] == [
        k["kid"] for k in example_jwks["keys"]
    ]


def test_generated_key_is_a_private_es256_jwk():
    key = generate_key()
    assert set(key) == {"kty", "crv", "x", "y", "d", "use", "alg", "kid"}
    assert (key["kty"], key["crv"], key["use"], key["alg"]) == (
        "EC",
        "P-256",
        "sig",
        "ES256",
    )
    assert key["kid"] == thumbprint(key)
    assert generate_key()["kid"] != key["kid"]


def test_public_jwks_has_no_private_members():
    key = generate_key()
    jwks = public_jwks([key], crl_versions={key["kid"]: 3})

    [published] = jwks["keys"]
    assert "d" not in published
    assert published == {
        "kty": "EC",
        "kid": key["kid"],
        "use": "sig",
        "alg": "ES256",
        "crv": "P-256",
        "x": key["x"],
        "y": key["y"],
        "crlVersion": 3,
    }
    assert check_jwks(jwks) == {}
    assert "crlVersion" not in public_jwk(key)


def test_load_from_jwks_needs_kid_when_several_signing_keys(example_private_text):
    with pytest.raises(CardKeyError, match="kid"):
        load_private_key(example_private_text)
    key = load_private_key(example_private_text, kid=EXAMPLE_KID)
    assert key["kid"] == EXAMPLE_KID and "d" in key


def test_load_single_jwk_and_single_key_jwks():
    key = generate_key()
    assert load_private_key(json.dumps(key)) == key
    assert load_private_key(json.dumps({"keys": [key]})) == key


def test_load_ignores_non_signing_keys(example_private_text):
    # The ECDH-ES key in the same file.
    enc_kid = "7rIUtD5K5Izrptr3ywgESTxhgJtJSeb06V42hg7WUDs"
    with pytest.raises(CardKeyError):
        load_private_key(example_private_text, kid=enc_kid)


@pytest.mark.parametrize(
    "change",
    [
        {"d": generate_key()["d"]},  # private part of another key
        {"kid": "not-the-thumbprint"},
        {"crv": "P-384"},
        {"alg": "ES384"},
        {"x": "AAAA"},
    ],
    ids=["foreign-d", "wrong-kid", "curve", "alg", "short-x"],
)
def test_load_refuses_inconsistent_keys(change):
    key = generate_key() | change
    with pytest.raises(CardKeyError):
        load_private_key(json.dumps(key))


def test_load_refuses_a_public_key_and_garbage():
    with pytest.raises(CardKeyError):
        load_private_key(json.dumps(public_jwk(generate_key())))
    with pytest.raises(CardKeyError):
        load_private_key("not json")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("valid_key.json", None),
        ("valid_keys.json", None),
        ("valid_key_with_x5c.json", None),
        ("wrong_alg_key.json", Reason.INVALID_KEY_WRONG_ALG),
        ("wrong_curve_key.json", Reason.INVALID_KEY_WRONG_CRV),
        ("wrong_kid_key.json", Reason.INVALID_KEY_WRONG_KID),
        ("wrong_kty_key.json", Reason.INVALID_KEY_WRONG_KTY),
        ("wrong_use_key.json", Reason.INVALID_KEY_WRONG_USE),
    ],
)
def test_dev_tools_key_sets(testdata, name, problem):
    doc = json.loads((testdata / name).read_text())
    jwks = doc if "keys" in doc else {"keys": [doc]}
    report = check_jwks(jwks)
    if problem is None:
        assert report == {}
    else:
        assert [problem] in report.values() or any(
            problem in p for p in report.values()
        ), report


def test_check_jwks_flags_private_keys(example_private_text):
    report = check_jwks(json.loads(example_private_text))
    assert Reason.INVALID_KEY_PRIVATE in report[EXAMPLE_KID]
