"""The staff authenticator secret is sealed at rest with a key derived from SECRET_KEY."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from portal.accounts import totp
from portal.accounts.models import Role, User
from portal.accounts.sealing import SealError, SecretBox
from tests.conftest import SECRET

from .conftest import reread

PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _stored(db, user_id: int) -> str:  # type: ignore[no-untyped-def]
    """The column as the database holds it."""
    reread(db)
    return db.scalar(sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user_id})


def test_a_sealed_secret_opens_only_with_the_same_key() -> None:
    box = SecretBox(SECRET)
    sealed = box.seal(PLAIN)
    assert PLAIN not in sealed and sealed != box.seal(PLAIN)  # a fresh nonce each time
    assert box.is_sealed(sealed) and not box.is_sealed(PLAIN)
    assert box.open(sealed) == PLAIN
    with pytest.raises(SealError, match="SECRET_KEY"):
        SecretBox(SECRET + "-rotated").open(sealed)
    with pytest.raises(SealError):
        box.open(sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB"))


def test_a_secret_stored_before_sealing_still_opens() -> None:
    assert SecretBox(SECRET).open(PLAIN) == PLAIN
    with pytest.raises(SealError):
        SecretBox(SECRET).open("not base32 and not sealed!")


def test_a_sealed_secret_fits_the_column() -> None:
    sealed = SecretBox(SECRET).seal(totp.new_secret())
    assert len(sealed) <= User.__table__.c.totp_secret.type.length


def test_there_is_no_box_without_a_secret_key() -> None:
    with pytest.raises(SealError):
        SecretBox(None)


def test_enrolment_stores_the_secret_sealed_and_shows_it_plain(client, make, db, login) -> None:
    user = make.user(role=Role.AGENT, totp_secret=None, totp_confirmed_at=None)
    login(client, user, mfa=False)
    page = client.get("/account/second-factor").get_data(as_text=True)
    shown = re.search(r'class="totp-secret code">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    stored = _stored(db, user.id)
    assert shown not in stored and SecretBox(SECRET).open(stored) == shown

    response = client.post("/account/second-factor", data={"code": pyotp.TOTP(shown).now()})
    assert response.status_code == 302
    assert _stored(db, user.id) == stored


def test_a_plain_secret_from_before_is_sealed_at_its_next_use(client, make, db, login) -> None:
    user = make.user(role=Role.AGENT, totp_secret=PLAIN)
    login(client, user, mfa=False)
    wrong = client.post("/account/second-factor", data={"code": "000000"})
    assert wrong.status_code == 200 and _stored(db, user.id) == PLAIN
    right = client.post("/account/second-factor", data={"code": pyotp.TOTP(PLAIN).now()})
    assert right.status_code == 302
    stored = _stored(db, user.id)
    assert stored != PLAIN and SecretBox(SECRET).open(stored) == PLAIN
