"""Rate-limit keys hold no email address, and authenticator codes have hourly and daily caps."""

from __future__ import annotations

import hashlib
import time

import pytest

from portal.accounts import limits
from portal.accounts.models import Role


def _key_for(app, email: str) -> str:  # type: ignore[no-untyped-def]
    with app.test_request_context("/login", method="POST", data={"email": email}):
        return limits.submitted_email_key()


def test_the_email_key_is_keyed_so_stored_keys_cannot_be_matched_to_addresses(
    app, settings
) -> None:
    from portal import create_app

    key = _key_for(app, " Ana@Example.org ")
    assert key == _key_for(app, "ana@example.org")  # one counter per account, however typed
    assert "ana" not in key and "example" not in key
    plain_hash = hashlib.sha256(b"ana@example.org").hexdigest()
    assert plain_hash[:32] not in key  # a list of addresses, hashed, would find it
    other = create_app({**settings, "SECRET_KEY": "another-secret-key-that-is-long-enough"})
    assert _key_for(other, "ana@example.org") != key


class Clock:
    """Stands in for the clock of the limiter's memory storage."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("limits.storage.memory.time", fake)
    return fake


def test_codes_have_an_hourly_cap_beyond_the_per_minute_one(client, make, login, clock) -> None:
    # Five a minute alone would allow 7,200 guesses a day at a 6-digit code.
    login(client, make.user(role=Role.AGENT), mfa=False)
    for _minute in range(4):
        for _ in range(5):
            assert client.post("/account/second-factor", data={"code": "000000"}).status_code == 200
        clock.now += 61
    limited = client.post("/account/second-factor", data={"code": "000000"})
    assert limited.status_code == 429
    assert "Too many tries" in limited.get_data(as_text=True)
