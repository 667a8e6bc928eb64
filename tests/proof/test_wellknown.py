"""The issuer's public documents: /.well-known/jwks.json and /.well-known/crl/<kid>.json."""

from __future__ import annotations

import json
from datetime import date

from portal.proof.cards import (
    CardDose,
    CardPatient,
    build_bundle,
    check_jwks,
    generate_key,
    public_jwk,
    sign_card,
    thumbprint,
    validate_crl,
)
from tests.proof.conftest import ISSUER


def test_jwks_holds_only_the_public_key_and_its_kid_is_the_thumbprint(client, card_key) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    [key] = response.get_json()["keys"]
    assert set(key) == {"kty", "kid", "use", "alg", "crv", "x", "y"}
    assert key["kid"] == thumbprint(card_key) == card_key["kid"]
    assert (key["x"], key["y"]) == (card_key["x"], card_key["y"])
    assert card_key["d"] not in response.get_data(as_text=True)
    assert check_jwks(response.get_json()) == {}


def test_issuer_documents_are_public_cacheable_and_cors_open(client, child, issue) -> None:
    issue(child)
    issue(child)
    kid = client.get("/.well-known/jwks.json").get_json()["keys"][0]["kid"]
    for path in ("/.well-known/jwks.json", f"/.well-known/crl/{kid}.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert "Pragma" not in response.headers


def test_pages_with_personal_data_stay_uncached(client) -> None:
    response = client.get("/verify")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_crl_appears_with_the_first_reprint_and_the_jwks_announces_it(
    client, child, issue, keyring
) -> None:
    first = issue(child)
    assert "crlVersion" not in client.get("/.well-known/jwks.json").get_json()["keys"][0]
    assert client.get(f"/.well-known/crl/{keyring.kid}.json").status_code == 404
    second = issue(child)
    [key] = client.get("/.well-known/jwks.json").get_json()["keys"]
    crl = client.get(f"/.well-known/crl/{keyring.kid}.json").get_json()
    assert crl == {
        "kid": keyring.kid,
        "method": "rid",
        "ctr": 1,
        "rids": [f"{first.rid}.{second.nbf}"],
    }
    assert key["crlVersion"] == crl["ctr"]
    assert validate_crl(crl, kid=keyring.kid, crl_version=key["crlVersion"]) == []
    issue(child)
    [key] = client.get("/.well-known/jwks.json").get_json()["keys"]
    assert (
        key["crlVersion"]
        == 2
        == client.get(f"/.well-known/crl/{keyring.kid}.json").get_json()["ctr"]
    )


def test_crl_of_a_key_we_do_not_have_is_404(client) -> None:
    assert client.get(f"/.well-known/crl/{thumbprint(generate_key())}.json").status_code == 404


def test_previous_keys_are_published_and_still_verify(settings, card_key) -> None:
    from portal import create_app

    old = generate_key()
    settings["CARD_PREVIOUS_KEYS"] = json.dumps({"keys": [public_jwk(old)]})
    client = create_app(settings).test_client()
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]]
    assert kids == [card_key["kid"], old["kid"]]
    bundle = build_bundle(
        CardPatient(given=["Ada"], family="Park", birth_date=date(2018, 5, 1)),
        [CardDose(cvx="03", occurred_on=date(2019, 5, 2))],
    )
    card = sign_card(bundle, issuer=ISSUER, key=old, nbf=1_700_000_000, rid="oldcard")
    answer = client.post(
        "/verify", data={"proof": card}, headers={"Accept": "application/json"}
    ).get_json()
    assert answer["status"] == "authentic"
    assert answer["patient"]["name"] == "Ada Park"
