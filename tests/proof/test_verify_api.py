"""The JSON API on /verify for school systems: no CSRF token, no session, nothing but the paper."""

from __future__ import annotations

import json

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.registry import AccessEvent, OrgKind

JSON = {"Accept": "application/json"}


def ask(client, proof: str, **kw):
    return client.post("/verify", data={"proof": proof}, headers=JSON, csrf=False, **kw)


def test_our_card_is_authentic_without_a_csrf_token(client, child, issue) -> None:
    proof = issue(child)
    response = ask(client, proof.qr_chunks[0])
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "authentic"
    assert body["patient"] == {"name": "Maria Elena Lopez", "birth_date": "2019-03-14"}
    assert body["doses"] == [
        {
            "vaccine": "MMR (measles, mumps, rubella)",
            "cvx": "03",
            "date": "2020-03-20",
            "given_by": child.owner.name,
        },
        {
            "vaccine": "Chickenpox (varicella)",
            "cvx": "21",
            "date": "2020-03-20",
            "given_by": "Clinica del Valle, Tijuana",
        },
    ]
    assert body["issued"].startswith(proof.issued_at.date().isoformat())


def test_the_answer_never_holds_address_phone_or_record_details(client, child, issue) -> None:
    proof = issue(child)
    for sent in (proof.qr_chunks[0], proof.short_code):
        response = ask(client, sent)
        text = response.get_data(as_text=True)
        assert response.get_json()["status"] == "authentic"
        assert set(response.get_json()) == {
            "status",
            "reasons",
            "issued",
            "patient",
            "doses",
            "by_vaccine",
            "newer_printout_exists",
            "california",
        }
        for private in (
            "12 Elm St",
            "Fresno",
            "93701",
            "5595550123",
            "Ana Lopez",
            child.email,
            child.registry_id,
            "shared",
            "address",
            "phone",
        ):
            assert private not in text, private


def test_a_reprint_makes_the_first_printout_out_of_date_not_revoked(client, child, issue) -> None:
    first = issue(child)
    assert ask(client, first.short_code).get_json()["newer_printout_exists"] is False
    second = issue(child)
    for sent in (first.qr_chunks[0], first.short_code):
        body = ask(client, sent).get_json()
        assert (body["status"], body["newer_printout_exists"]) == ("authentic", True)
        assert body["patient"]["name"] == "Maria Elena Lopez"
    assert ask(client, second.short_code).get_json()["newer_printout_exists"] is False


def test_the_short_code_and_revocation_answer_the_same_as_the_qr(
    client, child, issue, correct
) -> None:
    first = issue(child)
    assert ask(client, first.short_code).get_json()["status"] == "authentic"
    correct(child)
    for sent in (first.qr_chunks[0], first.short_code):
        body = ask(client, sent).get_json()
        assert body["status"] == "revoked"
        assert body["patient"]["name"] == "Maria Elena Lopez"  # the content is still shown
        assert "REVOCATION_ERROR" in body["reasons"]


def test_unknown_codes_foreign_cards_and_garbage(client, spec_example_qr) -> None:
    assert ask(client, "K7Q4-M9TX-3HBR-WP2F").get_json() == {
        "status": "unknown",
        "reasons": ["NO_SUCH_CODE"],
    }
    foreign = ask(client, spec_example_qr).get_json()
    assert foreign["status"] == "unknown"
    assert "patient" not in foreign
    garbage = ask(client, "definitely not a card")
    assert garbage.status_code == 200
    assert garbage.get_json()["status"] == "not_authentic"


def test_a_missing_proof_field_is_a_400_in_json(client) -> None:
    response = client.post("/verify", data={}, headers=JSON, csrf=False)
    assert response.status_code == 400
    assert "proof" in response.get_json()["error"]


def test_a_json_body_works_too(client, child, issue) -> None:
    proof = issue(child)
    response = client.post("/verify", json={"proof": proof.short_code}, headers=JSON, csrf=False)
    assert response.get_json()["status"] == "authentic"


def test_the_api_ignores_the_session(client, db, make, login, child, issue) -> None:
    """A signed-in school's browser could be made to send this request by another
    site; it must act as no one: no access-log entry, no cookie set."""
    login(client, make.user(role=Role.SCHOOL_VERIFIER, organization=make.org(kind=OrgKind.SCHOOL)))
    proof = issue(child)
    response = ask(client, proof.short_code)
    assert response.get_json()["status"] == "authentic"
    assert "Set-Cookie" not in response.headers
    assert db.scalars(sa.select(AccessEvent)).all() == []
    for _ in range(19):
        ask(client, "x")
    assert ask(client, "x").status_code == 429  # and it is limited like anyone else


def test_the_api_is_rate_limited_per_address(client) -> None:
    for _ in range(20):
        assert ask(client, "x").status_code == 200
    response = ask(client, "x")
    assert response.status_code == 429
    assert response.get_json()["error"] == 429


def test_spanish_vaccine_names_on_request(client, child, issue) -> None:
    proof = issue(child)
    response = client.post(
        "/verify",
        data={"proof": proof.short_code},
        headers={**JSON, "Accept-Language": "es"},
        csrf=False,
    )
    assert response.get_json()["doses"][1]["vaccine"] == "Varicela"


def test_a_crafted_card_with_an_absurd_nbf_is_not_authentic(client, keyring) -> None:
    """The cards library raises OverflowError on such a card; /verify must still answer."""
    from portal.proof.cards.codec import b64url_encode, deflate_raw

    header = json.dumps({"zip": "DEF", "alg": "ES256", "kid": keyring.kid}).encode()
    payload = json.dumps({"iss": keyring.issuer, "nbf": 10**400, "vc": {}}).encode()
    card = ".".join(b64url_encode(p) for p in (header, deflate_raw(payload), b"s" * 64))
    response = ask(client, card)
    assert response.status_code == 200
    assert response.get_json()["status"] == "not_authentic"


def test_odd_json_bodies_are_a_400_not_a_server_error(client) -> None:
    for body in ({"proof": 5}, {"proof": {"a": 1}}, {"proof": True}, [1, 2], "shc:/56", 7):
        response = client.post("/verify", json=body, headers=JSON, csrf=False)
        assert response.status_code == 400, body
        assert "proof" in response.get_json()["error"], body


def test_the_html_forms_ignore_non_text_json_members(client) -> None:
    token = client.csrf_token()
    for fields in ({"text": {"a": 1}, "check_text": "x"}, {"code": 5, "check_code": "x"}):
        response = client.post("/verify", json={**fields, "csrf_token": token}, csrf=False)
        assert response.status_code == 200, fields
        assert "Check a shot record" in response.get_data(as_text=True)


def test_a_deeply_nested_card_file_is_not_authentic(client) -> None:
    deep = '{"verifiableCredential":' + "[" * 5000 + "]" * 5000 + "}"
    assert ask(client, deep).get_json() == {
        "status": "not_authentic",
        "reasons": ["JSON_PARSE_ERROR"],
    }
    page = client.post("/verify", data={"text": deep, "check_text": "Check"})
    assert page.status_code == 200
    assert "Not confirmed" in page.get_data(as_text=True)


def test_the_california_check_from_the_card_and_the_requirement_asked(
    app, client, child, issue
) -> None:
    from portal.i18n import local_today

    with app.app_context():
        today = local_today().isoformat()
    proof = issue(child)  # MMR and varicella on 2020-03-20, the child born 2019-03-14
    body = ask(client, proof.short_code).get_json()
    assert body["california"] == {
        "requirement": "k12_entry",
        "as_of": today,
        "met": False,
        "missing": ["dtap", "hepb", "mmr", "polio", "varicella"],
        "next_due": today,
    }
    asked = client.post(
        "/verify",
        data={"proof": proof.short_code, "requirement": "grade7_advancement"},
        headers=JSON,
        csrf=False,
    ).get_json()["california"]
    assert asked["requirement"] == "grade7_advancement"
    assert asked["missing"] == ["tdap", "varicella"]
    refused = client.post(
        "/verify",
        data={"proof": proof.short_code, "requirement": "college"},
        headers=JSON,
        csrf=False,
    )
    assert refused.status_code == 400
