"""Where the signing key comes from, and when the portal refuses to start without one."""

from __future__ import annotations

import json
import os
import stat

import pytest

from portal.proof.cards import generate_key, public_jwk, thumbprint
from portal.proof.keyring import DEMO_KEY_FILE, KeyringError, issuer_from_url, load_keyring

PRODUCTION = {"ISSUER_URL": "https://myshots.example.gov"}


def test_key_from_json_text_or_from_a_file(tmp_path, card_key) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(card_key))
    for value in (json.dumps(card_key), str(path)):
        keyring = load_keyring({**PRODUCTION, "CARD_SIGNING_KEY": value}, str(tmp_path))
        assert keyring.kid == thumbprint(card_key) == card_key["kid"]
        assert keyring.issuer == "https://myshots.example.gov"


def test_production_without_a_key_refuses_to_start(settings, tmp_path) -> None:
    from portal import create_app

    settings.update(TESTING=False, CARD_SIGNING_KEY=None, ISSUER_URL="https://x.example")
    settings.update(SINGLE_PROCESS=True)  # production also needs shared limits (test_config.py)
    with pytest.raises(KeyringError, match="PORTAL_CARD_SIGNING_KEY is not set"):
        create_app(settings)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/no/such/file.json", "neither JSON nor a readable file"),
        ('{"kty": "EC"}', "not a usable private ES256"),
        (json.dumps(public_jwk(generate_key())), "not a usable private ES256"),
    ],
)
def test_a_broken_key_says_what_is_wrong(tmp_path, value, message) -> None:
    with pytest.raises(KeyringError, match=message):
        load_keyring({**PRODUCTION, "CARD_SIGNING_KEY": value}, str(tmp_path))


def test_the_demo_makes_its_key_once_owner_only_and_reuses_it(tmp_path) -> None:
    settings = {"DEMO": True, "ISSUER_URL": "http://127.0.0.1:5000"}
    first = load_keyring(settings, str(tmp_path / "instance"))
    path = tmp_path / "instance" / DEMO_KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_keyring(settings, str(tmp_path / "instance")).kid == first.kid
    assert first.issuer == "https://127.0.0.1:5000"


def test_tests_without_a_key_get_one_that_is_never_written(tmp_path) -> None:
    keyring = load_keyring({"TESTING": True, "ISSUER_URL": "http://localhost"}, str(tmp_path))
    assert keyring.kid
    assert list(tmp_path.iterdir()) == []


def test_issuer_url_rules() -> None:
    assert issuer_from_url("https://myshots.example.gov/", relaxed=False) == (
        "https://myshots.example.gov"
    )
    assert issuer_from_url("http://localhost", relaxed=True) == "https://localhost"
    with pytest.raises(KeyringError, match="https"):
        issuer_from_url("http://myshots.example.gov", relaxed=False)
    with pytest.raises(KeyringError):
        issuer_from_url(None, relaxed=True)


def test_previous_keys_must_be_public(tmp_path, card_key) -> None:
    old = generate_key()
    base = {**PRODUCTION, "CARD_SIGNING_KEY": json.dumps(card_key)}
    keyring = load_keyring(
        {**base, "CARD_PREVIOUS_KEYS": json.dumps({"keys": [public_jwk(old)]})}, str(tmp_path)
    )
    assert keyring.kids == {card_key["kid"], old["kid"]}
    with pytest.raises(KeyringError, match="public keys only"):
        load_keyring({**base, "CARD_PREVIOUS_KEYS": json.dumps({"keys": [old]})}, str(tmp_path))
    with pytest.raises(KeyringError, match="JWK set"):
        load_keyring({**base, "CARD_PREVIOUS_KEYS": "[]"}, str(tmp_path))


def test_rid_secret_is_256_bits_and_stable_per_key(tmp_path, card_key) -> None:
    settings = {**PRODUCTION, "CARD_SIGNING_KEY": json.dumps(card_key)}
    first = load_keyring(settings, str(tmp_path)).rid_secret
    assert len(first) == 32
    assert load_keyring(settings, str(tmp_path)).rid_secret == first
    other = {**PRODUCTION, "CARD_SIGNING_KEY": json.dumps(generate_key())}
    assert load_keyring(other, str(tmp_path)).rid_secret != first
