"""Password rules and hashing (argon2id: memory-hard, per NIST SP 800-63B guidance)."""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 128

_hasher = PasswordHasher()
# A hash to verify against when the email is unknown, so both answers take as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-costs-the-same")


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    LIKE_EMAIL = "like_email"


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most used passwords from leaks, as bundled with zxcvbn (lower-case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    words = FREQUENCY_LISTS["passwords"]
    if isinstance(words, str):  # older zxcvbn releases keep one comma-separated string
        words = words.split(",")
    return frozenset(w.lower() for w in words)


def password_problem(password: str, email: str | None = None) -> PasswordProblem | None:
    """Why a new password is refused, or None. Length rules follow NIST: no composition rules."""
    if len(password) < MIN_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordProblem.TOO_LONG
    folded = password.strip().lower()
    if folded in common_passwords():
        return PasswordProblem.COMMON
    if email:
        address = email.strip().lower()
        if folded in {address, address.split("@", 1)[0]}:
            return PasswordProblem.LIKE_EMAIL
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
