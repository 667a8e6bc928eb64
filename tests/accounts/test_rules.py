"""Account rules as plain functions: passwords, emails, landing pages, tokens, codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from portal.accounts import tokens, totp
from portal.accounts.models import Role, User
from portal.accounts.passwords import PasswordProblem, password_problem
from portal.accounts.rules import landing_endpoint, needs_confirmation, normalize_email

SECRET = "a-test-secret-that-is-long-enough-for-signing"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("password", "email", "problem"),
    [
        ("short7!", None, PasswordProblem.TOO_SHORT),
        ("x" * 129, None, PasswordProblem.TOO_LONG),
        ("password1", None, PasswordProblem.COMMON),
        ("Baseball", None, PasswordProblem.COMMON),  # case does not make it safer
        ("iloveyou", None, PasswordProblem.COMMON),
        ("Maria.Lopez@Example.org", "maria.lopez@example.org", PasswordProblem.LIKE_EMAIL),
        ("maria.lopez", " Maria.Lopez@example.org ", PasswordProblem.LIKE_EMAIL),
        ("blue kitchen river song", "maria.lopez@example.org", None),
        ("x" * 128, None, None),
        ("y" * 70, None, None),  # long passphrases are welcome
    ],
)
def test_password_rules(password: str, email: str | None, problem: PasswordProblem | None) -> None:
    assert password_problem(password, email) == problem


def test_email_is_trimmed_and_lower_cased() -> None:
    assert normalize_email("  Ana.Lopez@Example.ORG ") == "ana.lopez@example.org"
    assert normalize_email(None) == ""


@pytest.mark.parametrize(
    ("role", "available", "expected"),
    [
        (Role.PARENT, {"linking.dashboard", "core.home"}, "linking.dashboard"),
        (Role.PARENT, {"core.home"}, "core.home"),
        (Role.AGENT, {"requests.queue", "linking.dashboard", "core.home"}, "requests.queue"),
        (Role.SUPERVISOR, {"core.home"}, "core.home"),
        (Role.SCHOOL_VERIFIER, {"proof.verify", "requests.queue"}, "proof.verify"),
        (Role.SCHOOL_VERIFIER, {"requests.queue"}, "core.home"),
    ],
)
def test_landing_is_the_first_installed_page_of_the_role(role, available, expected) -> None:
    assert landing_endpoint(role, available) == expected


def test_only_unconfirmed_parents_need_confirmation() -> None:
    assert needs_confirmation(User(role=Role.PARENT, email_confirmed_at=None))
    assert not needs_confirmation(User(role=Role.PARENT, email_confirmed_at=NOW))
    assert not needs_confirmation(User(role=Role.AGENT, email_confirmed_at=None))


def _user(**kw) -> User:  # type: ignore[no-untyped-def]
    kw.setdefault("id", 7)
    kw.setdefault("email", "ana@example.org")
    kw.setdefault("password_hash", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA")
    kw.setdefault("password_changed_at", NOW)
    return User(**kw)


def test_confirm_token_round_trip_and_expiry() -> None:
    token = tokens.confirm_token(SECRET, _user())
    assert tokens.read_confirm_token(SECRET, token) == (
        7,
        tokens.email_fingerprint(SECRET, "ana@example.org"),
    )
    later = datetime.now(UTC) + tokens.CONFIRM_MAX_AGE + timedelta(minutes=1)
    with pytest.raises(tokens.TokenError) as caught:
        tokens.read_confirm_token(SECRET, token, now=later)
    assert caught.value.expired


def test_a_confirmation_link_does_not_carry_the_address_in_clear() -> None:
    from itsdangerous import URLSafeTimedSerializer

    token = tokens.confirm_token(SECRET, _user())
    # What anyone who sees the link (a proxy log, browser history) can read without the key:
    _valid, payload = URLSafeTimedSerializer("not-the-key", salt=tokens.CONFIRM_SALT).loads_unsafe(
        token
    )
    assert payload["u"] == 7
    assert "ana" not in str(payload) and "example.org" not in str(payload)
    assert tokens.email_fingerprint(SECRET, "ana@example.org") != tokens.email_fingerprint(
        SECRET + "x", "ana@example.org"
    )  # keyed: a list of addresses cannot be checked against a link


@pytest.mark.parametrize("mangle", ["tamper", "other_key", "other_kind"])
def test_a_forged_or_misused_token_is_invalid(mangle: str) -> None:
    user = _user()
    token = tokens.confirm_token(SECRET, user)
    if mangle == "tamper":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif mangle == "other_key":
        token = tokens.confirm_token(SECRET + "x", user)
    else:  # a reset link is not a confirmation link
        token = tokens.reset_token(SECRET, user)
    with pytest.raises(tokens.TokenError) as caught:
        tokens.read_confirm_token(SECRET, token)
    assert not caught.value.expired


def test_reset_fingerprint_changes_with_the_password() -> None:
    user = _user()
    token = tokens.reset_token(SECRET, user)
    user_id, fingerprint = tokens.read_reset_token(SECRET, token)
    assert user_id == 7 and fingerprint == tokens.password_fingerprint(user)
    user.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$b3RoZXI$b3RoZXI"
    assert tokens.password_fingerprint(user) != fingerprint
    with pytest.raises(tokens.TokenError):
        tokens.read_reset_token(SECRET, token, now=datetime.now(UTC) + timedelta(minutes=61))


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _code(offset_steps: int = 0) -> str:
    t = pyotp.TOTP(TOTP_SECRET)
    return t.generate_otp(t.timecode(NOW) + offset_steps)


def test_totp_accepts_one_step_either_side_only() -> None:
    step = pyotp.TOTP(TOTP_SECRET).timecode(NOW)
    for offset in (-1, 0, 1):
        result = totp.check_code(TOTP_SECRET, _code(offset), now=NOW, last_step=None)
        assert result == totp.CodeResult(totp.CodeCheck.OK, step + offset)
    for offset in (-3, 2):
        result = totp.check_code(TOTP_SECRET, _code(offset), now=NOW, last_step=None)
        assert result.check is totp.CodeCheck.WRONG


def test_totp_refuses_a_step_already_used() -> None:
    step = pyotp.TOTP(TOTP_SECRET).timecode(NOW)
    assert totp.check_code(TOTP_SECRET, _code(), now=NOW, last_step=step).check == "reused"
    assert totp.check_code(TOTP_SECRET, _code(-1), now=NOW, last_step=step).check == "reused"
    assert totp.check_code(TOTP_SECRET, _code(1), now=NOW, last_step=step).check == "ok"


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_totp_refuses_malformed_codes(code: str) -> None:
    assert totp.check_code(TOTP_SECRET, code, now=NOW, last_step=None).check == "wrong"


def test_totp_code_may_be_typed_with_a_space() -> None:
    spaced = _code()[:3] + " " + _code()[3:]
    assert totp.check_code(TOTP_SECRET, spaced, now=NOW, last_step=None).check == "ok"


def test_totp_enrolment_material() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32 and secret != totp.new_secret()
    assert totp.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
    uri = totp.otpauth_uri(secret, "agent@example.org")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    assert totp.qr_data_uri(uri).startswith("data:image/svg+xml")
