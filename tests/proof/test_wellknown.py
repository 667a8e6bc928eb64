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


def test_issuer_documents_are_public_cacheable_and_cors_open(
    client, child, issue, correct
) -> None:
    issue(child)
    correct(child)
    kid = client.get("/.well-known/jwks.json").get_json()["keys"][0]["kid"]
    for path, cache in (
        ("/.well-known/jwks.json", "public, max-age=300"),
        (f"/.well-known/crl/{kid}.json", "public, max-age=0, must-revalidate"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Cache-Control"] == cache
        assert "Pragma" not in response.headers
        etag = response.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert (again.status_code, again.data) == (304, b"")
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_revocation_changes_both_documents_etags(client, child, issue, correct) -> None:
    issue(child)
    correct(child)
    kid = client.get("/.well-known/jwks.json").get_json()["keys"][0]["kid"]
    paths = ("/.well-known/jwks.json", f"/.well-known/crl/{kid}.json")
    before = [client.get(p).headers["ETag"] for p in paths]
    issue(child)
    correct(child)
    after = [client.get(p).headers["ETag"] for p in paths]
    assert all(b != a for b, a in zip(before, after, strict=True))
    for path, etag in zip(paths, before, strict=True):
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 200


def test_issuer_documents_are_rate_limited(client, child, issue, correct, keyring) -> None:
    issue(child)
    correct(child)
    for path in ("/.well-known/jwks.json", f"/.well-known/crl/{keyring.kid}.json"):
        codes = [client.get(path).status_code for _ in range(121)]
        assert codes[:120] == [200] * 120, path
        assert codes[-1] == 429, path


def test_pages_with_personal_data_stay_uncached(client) -> None:
    response = client.get("/verify")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_crl_appears_with_the_first_correction_and_the_jwks_announces_it(
    client, child, issue, keyring, correct
) -> None:
    first = issue(child)
    issue(child)  # a reprint revokes nothing
    assert "crlVersion" not in client.get("/.well-known/jwks.json").get_json()["keys"][0]
    assert client.get(f"/.well-known/crl/{keyring.kid}.json").status_code == 404
    point = correct(child)
    [key] = client.get("/.well-known/jwks.json").get_json()["keys"]
    crl = client.get(f"/.well-known/crl/{keyring.kid}.json").get_json()
    assert crl == {
        "kid": keyring.kid,
        "method": "rid",
        "ctr": 1,
        "rids": [f"{first.rid}.{point}"],
    }
    assert key["crlVersion"] == crl["ctr"]
    assert validate_crl(crl, kid=keyring.kid, crl_version=key["crlVersion"]) == []
    issue(child)
    correct(child)
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


def _queries(app, client, path: str) -> tuple[int, int]:
    """(status, SQL statements) of one request."""
    import sqlalchemy as sa

    from portal.db import engine_for

    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = engine_for(app.config["DATABASE_URL"])
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        status = client.get(path).status_code
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return status, len(seen)


def test_serving_the_documents_costs_the_same_queries_at_any_number_of_cards(
    app, client, make, issue, correct, keyring
) -> None:
    """Each request reads a stored document or a few key rows, never the cards."""
    paths = ("/.well-known/jwks.json", f"/.well-known/crl/{keyring.kid}.json")
    first = make.patient()
    make.dose(first)
    issue(first)
    correct(first)
    small = [_queries(app, client, p) for p in paths]
    for _ in range(30):
        patient = make.patient()
        make.dose(patient)
        issue(patient)
        issue(patient)
        correct(patient)
    large = [_queries(app, client, p) for p in paths]
    assert [s for s, _ in small] == [s for s, _ in large] == [200, 200]
    assert small == large
    assert all(n <= 3 for _, n in large)


def test_a_crl_is_read_whole_once_per_version_and_served_new_after_a_revocation(
    app, client, make, issue, correct, keyring
) -> None:
    """The body is taken from memory while its ETag stands; a revocation's new list shows at
    once (its ETag, a hash of the body, changed)."""
    import sqlalchemy as sa

    from portal.db import engine_for

    path = f"/.well-known/crl/{keyring.kid}.json"
    first = make.patient()
    make.dose(first)
    issue(first)
    correct(first)
    before = client.get(path)
    bodies: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if "issuer_documents.body" in statement:
            bodies.append(statement)

    engine = engine_for(app.config["DATABASE_URL"])
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        again = client.get(path)
        assert again.data == before.data
        assert bodies == []  # the ETag alone was read
        second = make.patient()
        make.dose(second)
        issue(second)
        correct(second)
        after = client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert len(json.loads(after.data)["rids"]) == len(json.loads(before.data)["rids"]) + 1
    assert len(bodies) == 1
