"""Our issued cards, key set and revocation list against the SMART Health Cards
dev-tools JSON schemas and data-minimization profiles, and the spec's rules."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest

from portal.proof.cards import qr_chunks_to_jws
from portal.proof.cards.codec import b64url_decode, inflate_raw
from tests.proof.conftest import ISSUER, _shc_dir


def _schema(name: str) -> dict[str, Any]:
    return json.loads((_shc_dir() / "dev-tools-schema" / name).read_text())


def _absent(resource: dict[str, Any], path: str) -> bool:
    """True when the dev-tools path (e.g. Immunization.performer.actor.reference) is not there."""
    values: list[Any] = [resource]
    for name in path.split(".")[1:]:
        name = name.removesuffix("[x]")
        found = []
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    found += [v for k, v in item.items() if k == name or k.startswith(name)]
        values = found
    return not values


@pytest.fixture
def card(child, issue) -> dict[str, Any]:
    proof = issue(child)
    jws = qr_chunks_to_jws(proof.qr_chunks)
    header, payload, _ = jws.split(".")
    return {
        "jws": jws,
        "header": json.loads(b64url_decode(header)),
        "payload": json.loads(inflate_raw(b64url_decode(payload))),
    }


def test_an_issued_card_validates_against_the_dev_tools_schemas(card) -> None:
    jsonschema.validate(card["jws"], _schema("jws-schema.json"))
    jsonschema.validate(
        {"verifiableCredential": [card["jws"]]}, _schema("smart-health-card-schema.json")
    )
    jsonschema.validate(card["payload"], _schema("smart-health-card-vc-schema.json"))
    bundle = card["payload"]["vc"]["credentialSubject"]["fhirBundle"]
    jsonschema.validate(bundle, _schema("fhir-schema.json"))


def test_an_issued_card_follows_the_spec_rules(card, keyring) -> None:
    payload = card["payload"]
    assert card["header"] == {"zip": "DEF", "alg": "ES256", "kid": keyring.kid}
    assert payload["iss"] == ISSUER and not payload["iss"].endswith("/")
    assert isinstance(payload["nbf"], int) and "exp" not in payload
    assert payload["vc"]["type"][0] == "https://smarthealth.cards#health-card"
    assert payload["vc"]["credentialSubject"]["fhirVersion"] == "4.0.1"
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,24}", payload["vc"]["rid"])
    entries = payload["vc"]["credentialSubject"]["fhirBundle"]["entry"]
    assert [e["fullUrl"] for e in entries] == [f"resource:{i}" for i in range(len(entries))]
    profiles = {"Patient": "patient-dm.json", "Immunization": "immunization-dm.json"}
    for entry in entries:
        resource = entry["resource"]
        profile = _schema(profiles[resource["resourceType"]])
        for rule in profile["mustNotContain"]:
            assert _absent(resource, rule["path"]), rule["path"]
        if resource["resourceType"] == "Immunization":
            assert resource["status"] == "completed"
            assert resource["patient"] == {"reference": "resource:0"}
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", resource["occurrenceDateTime"])
            assert set(resource["performer"][0]) == {"actor"}
            assert set(resource["performer"][0]["actor"]) == {"display"}
            assert "lotNumber" not in resource  # kept off: schools do not need it


def test_key_set_and_revocation_list_have_the_spec_shapes(
    client, child, issue, keyring, correct
) -> None:
    first = issue(child)
    point = correct(child)
    jwks = client.get("/.well-known/jwks.json").get_json()
    jsonschema.validate(jwks, _schema("keyset-schema.json"))
    [key] = jwks["keys"]
    assert isinstance(key["crlVersion"], int) and key["crlVersion"] >= 1
    crl = client.get(f"/.well-known/crl/{key['kid']}.json").get_json()
    assert set(crl) == {"kid", "method", "ctr", "rids"}
    assert (crl["kid"], crl["method"], crl["ctr"]) == (key["kid"], "rid", key["crlVersion"])
    for entry in crl["rids"]:
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,24}(\.[0-9]+)?", entry)
    assert crl["rids"] == [f"{first.rid}.{point}"]
