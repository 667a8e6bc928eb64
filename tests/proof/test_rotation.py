"""`portal rotate-card-key`: a new key signs at once; older keys stay published and verify."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa

from portal.orm import utcnow
from portal.proof.commands import rotate_card_key
from portal.proof.models import CardKey
from portal.proof.rotation import rotation_due


def _rotate(app, *args: str):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(rotate_card_key, list(args))
    assert result.exit_code == 0, result.output
    return result


def _ask(client, proof: str) -> dict:
    return client.post(
        "/verify", data={"proof": proof}, headers={"Accept": "application/json"}, csrf=False
    ).get_json()


def test_after_a_rotation_the_new_key_signs_and_the_old_one_still_verifies(
    app, client, db, child, issue, keyring, card_key
) -> None:
    before = issue(child)
    assert before.kid == card_key["kid"]
    _rotate(app)
    [row] = db.scalars(sa.select(CardKey)).all()
    assert row.kid != card_key["kid"] and row.retired_at is None
    assert "d" not in json.loads(row.public_jwk)
    assert row.private_sealed.startswith("v1:")  # sealed, never the JWK in plain text

    from portal.proof.current import issue_for_current_app

    with app.test_request_context():
        from portal.db import db as portal_db

        after = issue_for_current_app(portal_db.session, portal_db.session.merge(child))
        portal_db.session.commit()
    assert after.kid == row.kid
    kids = [k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]]
    assert kids == [row.kid, card_key["kid"]]
    old_answer = _ask(client, before.qr_chunks[0])
    assert (old_answer["status"], old_answer["newer_printout_exists"]) == ("authentic", True)
    assert _ask(client, after.short_code)["status"] == "authentic"


def test_a_second_rotation_destroys_the_first_rotated_private_key(app, db, client) -> None:
    _rotate(app)
    _rotate(app)
    db.expire_all()
    first, second = db.scalars(sa.select(CardKey).order_by(CardKey.created_at)).all()
    assert first.private_sealed is None and first.retired_at is not None
    assert second.private_sealed is not None
    kids = {k["kid"] for k in client.get("/.well-known/jwks.json").get_json()["keys"]}
    assert {first.kid, second.kid} <= kids and len(kids) == 3


def test_if_due_rotates_a_configured_key_then_waits_for_the_period(app, db) -> None:
    first = _rotate(app, "--if-due")
    assert "New signing key" in first.output
    second = _rotate(app, "--if-due")
    assert "Not due" in second.output
    assert db.scalar(sa.select(sa.func.count()).select_from(CardKey)) == 1
    assert app.config["CARD_KEY_ROTATION_DAYS"] == 365


def test_rotation_due_is_a_plain_rule() -> None:
    assert rotation_due(None, 365)
    assert not rotation_due(timedelta(days=364), 365)
    assert rotation_due(timedelta(days=365), 365)
    assert utcnow().tzinfo is not None
