"""Revocation ids, CRL documents, the timestamp rule and the dev-tools' bad CRLs."""

from __future__ import annotations

import json
import re

import pytest

from portal.proof.cards import (
    KeyDirectory,
    Reason,
    crl_document,
    is_revoked,
    record_rid,
    revocation_checker,
    thumbprint,
    validate_crl,
    verify_card,
)

SECRET = bytes(range(32))


def test_record_rid_is_short_base64url_and_stable():
    rid = record_rid(SECRET, "patient-42")
    assert re.fullmatch(r"[A-Za-z0-9_-]{11}", rid)  # 64 bits
    assert record_rid(SECRET, "patient-42") == rid
    assert record_rid(SECRET, "patient-43") != rid
    assert record_rid(bytes(32), "patient-42") != rid


def test_record_rid_with_kid_follows_the_spec_derivation():
    import base64
    import hashlib
    import hmac

    kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
    digest = hmac.new(SECRET + kid.encode(), b"patient-42", hashlib.sha256).digest()
    expected = base64.urlsafe_b64encode(digest[:8]).rstrip(b"=").decode()
    assert record_rid(SECRET, "patient-42", kid=kid) == expected
    assert record_rid(SECRET, "patient-42", kid=kid) != record_rid(SECRET, "patient-42")


def test_record_rid_wants_a_256_bit_secret():
    with pytest.raises(ValueError):
        record_rid(b"short", "patient-42")
    with pytest.raises(ValueError):
        record_rid(SECRET, "")


def test_crl_document():
    crl = crl_document("KID", 2, [("AQPCj4wwk6Mt", None), ("lHKzqFUMjhs", 1636977600)])
    assert crl == {
        "kid": "KID",
        "method": "rid",
        "ctr": 2,
        "rids": ["AQPCj4wwk6Mt", "lHKzqFUMjhs.1636977600"],
    }
    assert validate_crl(crl, kid="KID", crl_version=2) == []


@pytest.mark.parametrize(
    ("ctr", "entries"),
    [
        (0, []),
        (1, [("bad rid", None)]),
        (1, [("a", None), ("a", 5)]),
        (1, [("a", -1)]),
        (1, [("x" * 25, None)]),
    ],
    ids=["ctr-0", "alphabet", "duplicate", "negative-ts", "too-long"],
)
def test_crl_document_refuses_bad_entries(ctr, entries):
    with pytest.raises(ValueError):
        crl_document("KID", ctr, entries)


def test_timestamp_rule_from_the_spec_text():
    # The spec's example: the first rid always, the second only for cards issued
    # before 2021-11-15T12:00:00Z.
    rids = ["AQPCj4wwk6Mt", "lHKzqFUMjhs.1636977600"]
    assert is_revoked(rids, "AQPCj4wwk6Mt", 1900000000) is True
    assert is_revoked(rids, "lHKzqFUMjhs", 1636977599) is True
    assert (
        is_revoked(rids, "lHKzqFUMjhs", 1636977600) is False
    )  # "before", so not at the instant
    assert is_revoked(rids, "lHKzqFUMjhs", 1636977601) is False
    assert is_revoked(rids, "other", 0) is False
    assert is_revoked(rids, "AQPCj4ww", 0) is False  # a prefix is not the rid


def test_unreadable_timestamp_fails_closed():
    assert is_revoked(["abc.12x"], "abc", 2_000_000_000) is True
    assert is_revoked(["abc."], "abc", 2_000_000_000) is True


def test_revocation_checker_is_per_kid():
    revoked = revocation_checker({"K1": crl_document("K1", 1, [("r", None)])})
    assert revoked("K1", "r", 0) is True
    assert revoked("K2", "r", 0) is False


BAD_CRLS = [
    "duplicate-rid",
    "invalid-method",
    "non-base64url-rid",
    "too-long-rid",
    "version-mismatch",
]


@pytest.mark.parametrize("name", BAD_CRLS)
def test_dev_tools_bad_crls(testdata, name, now):
    folder = testdata / "badcrl" / name
    jwks = json.loads((folder / ".well-known" / "jwks.json").read_text())
    [key] = jwks["keys"]
    crl = json.loads(
        (folder / ".well-known" / "crl" / f"{key['kid']}.json").read_text()
    )

    assert Reason.REVOCATION_ERROR in validate_crl(
        crl, kid=key["kid"], crl_version=key["crlVersion"]
    )
    # The card is genuine; the fault is the issuer's CRL, which the portal must not use.
    base = "https://raw.githubusercontent.com/smart-on-fhir/health-cards-dev-tools"
    directory = KeyDirectory({f"{base}/main/testdata/badcrl/{name}": jwks})
    card = (folder / f"jws-crl-{name}.txt").read_text()
    result = verify_card(card, keys_for_issuer=directory.keys_for_issuer, now=now)
    assert result.status == "authentic", result.errors
    assert thumbprint(key) == result.kid


def test_shipped_example_crl_is_valid(shc_dir):
    kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
    crl = json.loads(
        (shc_dir / "issuer" / ".well-known" / "crl" / f"{kid}.json").read_text()
    )
    assert validate_crl(crl, kid=kid, crl_version=1) == []
    assert validate_crl(crl, kid="other", crl_version=1) == [Reason.REVOCATION_ERROR]
    assert validate_crl(crl, kid=kid, crl_version=2) == [Reason.REVOCATION_ERROR]
