"""The four official signed examples of the spec verify, in every form they are given."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from portal.proof.cards import (
    Reason,
    crl_document,
    load_private_key,
    public_jwks,
    qr_chunks_to_jws,
    revocation_checker,
    thumbprint,
)

EXAMPLE_ISSUER = "https://spec.smarthealth.cards/examples/issuer"
EXAMPLE_KID = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"


def _qr_texts(examples: Path, number: int) -> list[str]:
    files = sorted(examples.glob(f"example-0{number}-f-qr-code-numeric-value-*.txt"))
    assert files, f"no numeric QR files for example {number}"
    return [f.read_text() for f in files]


def _form(examples: Path, number: int, form: str) -> str:
    if form == "qr":
        return "\n".join(_qr_texts(examples, number))
    suffix = {"jws": "d-jws.txt", "file": "e-file.smart-health-card"}[form]
    return (examples / f"example-0{number}-{suffix}").read_text()


@pytest.mark.parametrize("form", ["jws", "file", "qr"])
@pytest.mark.parametrize("number", [0, 1, 2, 3])
def test_official_example_is_authentic(examples, verify, number, form):
    result = verify(_form(examples, number, form))

    assert result.status == "authentic", result.errors
    assert result.errors == []
    assert result.issuer == EXAMPLE_ISSUER
    expected = json.loads((examples / f"example-0{number}-c-jws-payload-minified.json").read_text())
    assert result.bundle == expected["vc"]["credentialSubject"]["fhirBundle"]
    assert result.rid == expected["vc"].get("rid")
    assert result.nbf == int(expected["nbf"])
    chunked = number == 2 and form == "qr"
    # Deprecated chunking is still readable; a verifier reports it instead of refusing it.
    assert (Reason.QR_CHUNKING_DEPRECATED in result.warnings) == chunked
    assert (Reason.JWS_TOO_LONG in result.warnings) == (number == 2)


def test_example_02_chunks_scanned_in_any_order(examples, verify):
    texts = _qr_texts(examples, 2)
    assert len(texts) == 3 and texts[0].startswith("shc:/1/3/")
    shuffled = "\n".join([texts[2], texts[0], texts[1]])
    assert verify(shuffled).status == "authentic"
    assert qr_chunks_to_jws(texts) == (examples / "example-02-d-jws.txt").read_text()


def test_example_summary(examples, verify):
    summary = verify(_form(examples, 0, "jws")).summary

    assert summary is not None
    assert summary.name == "John B. Anyperson"
    assert summary.birth_date.isoformat() == "1951-01-20"
    assert [(d.cvx, d.occurred, d.lot, d.performer) for d in summary.doses] == [
        ("207", "2021-01-01", "0000001", "ABC General Hospital"),
        ("207", "2021-01-29", "0000007", "ABC General Hospital"),
        ("229", "2022-09-05", "0000001", "ABC General Hospital"),
    ]


def test_example_is_not_yet_valid_before_its_nbf(examples, verify):
    result = verify(_form(examples, 0, "jws"), now=datetime(2024, 1, 1, tzinfo=UTC))
    assert result.status == "not_authentic"
    assert Reason.NOT_YET_VALID in result.errors


def test_example_03_is_revoked_by_a_bare_rid(examples, verify):
    crl = crl_document(EXAMPLE_KID, 2, [("vwAjHdarZuc", None)])
    result = verify(_form(examples, 3, "qr"), revoked=revocation_checker({EXAMPLE_KID: crl}))

    assert result.status == "revoked"
    assert result.rid == "vwAjHdarZuc"
    assert Reason.REVOCATION_ERROR in result.errors


def test_shipped_2023_crl_does_not_revoke_the_2024_reissue(shc_dir, examples, verify):
    crl_path = shc_dir / "issuer" / ".well-known" / "crl" / f"{EXAMPLE_KID}.json"
    crl = json.loads(crl_path.read_text())
    assert "vwAjHdarZuc.1664492124" in crl["rids"]
    revoked = revocation_checker({EXAMPLE_KID: crl})

    # Example 03 was re-signed in 2024, after the CRL's 2022 cut-off timestamp.
    assert verify(_form(examples, 3, "jws"), revoked=revoked).status == "authentic"
    assert revoked(EXAMPLE_KID, "vwAjHdarZuc", 1664492123) is True
    assert verify(_form(examples, 0, "jws"), revoked=revoked).status == "authentic"


def test_example_keys_rebuild_the_published_jwks(example_private_text, example_jwks):
    private = [load_private_key(example_private_text, kid=k["kid"]) for k in example_jwks["keys"]]
    rebuilt = public_jwks(private, crl_versions={EXAMPLE_KID: 1})

    published = [{k: v for k, v in key.items() if k != "x5c"} for key in example_jwks["keys"]]
    assert rebuilt["keys"] == published
    assert thumbprint(example_jwks["keys"][0]) == EXAMPLE_KID
