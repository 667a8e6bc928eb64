"""The rules of linking as plain functions: matching, codes, ages, lock-out. No Flask here."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from portal.forecast.dates import age_in_years, birthday

from .models import Relationship

OTP_DIGITS = 6
OTP_LIFETIME = timedelta(minutes=10)
OTP_MAX_TRIES = 5
ACCESS_CODE_LIFETIME = timedelta(days=30)
ACCESS_CODE_MAX_TRIES = 5
INVITATION_LIFETIME = timedelta(days=30)
INVITATION_MAX_TRIES = 5
EXPIRY_WARNING_DAYS = 60
ADULT_AGE = 18
LOCKOUT_FAILURES = 10
ADDRESS_LOCKOUT_FAILURES = 30
LOCKOUT_WINDOW = timedelta(hours=24)
LOCKOUT_DURATION = timedelta(hours=24)

# No 0/O, 1/I/L: a code read off paper or over the phone cannot be mistyped that way.
ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACCESS_CODE_LENGTH = 16  # 16 symbols of 31: about 79 bits
ACCESS_CODE_GROUP = 4

GUARDIAN_RELATIONSHIPS = frozenset({Relationship.PARENT, Relationship.GUARDIAN})


# --- Matching -----------------------------------------------------------------------------


def normalize_name(value: str) -> str:
    """Compare names as people type them: no accents, case, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in letters.casefold() if c.isalnum())


def normalize_phone(value: str) -> str | None:
    """The 10 digits of a US phone number, whatever the punctuation; None if it is not one."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        return None
    return digits


def normalize_email(value: str) -> str | None:
    email = value.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in email):
        return None
    return email


def parse_contact(value: str) -> tuple[str, str] | None:
    """("email", address) or ("sms", 10 digits) for what a family typed, or None."""
    if "@" in value:
        email = normalize_email(value)
        return ("email", email) if email else None
    phone = normalize_phone(value)
    return ("sms", phone) if phone else None


def names_match(first: str, last: str, record_first: str, record_last: str) -> bool:
    return normalize_name(first) == normalize_name(record_first) and normalize_name(
        last
    ) == normalize_name(record_last)


def contact_on_record(
    contact: tuple[str, str], record_phone: str | None, record_email: str | None
) -> bool:
    """Whether the typed contact is one the record already holds."""
    kind, value = contact
    if kind == "email":
        return record_email is not None and normalize_email(record_email) == value
    return record_phone is not None and normalize_phone(record_phone) == value


def details_fingerprint(secret: bytes, *parts: str) -> str:
    """An HMAC of normalized details: equal inputs give equal values, nothing can be read back."""
    message = "\x1f".join(parts).encode()
    return hmac.new(secret, b"details\x00" + message, hashlib.sha256).hexdigest()


def address_fingerprint(secret: bytes, address: str | None) -> str | None:
    if not address:
        return None
    return hmac.new(secret, b"address\x00" + address.encode(), hashlib.sha256).hexdigest()


# --- One-time codes -----------------------------------------------------------------------


def new_otp() -> str:
    return f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"


def hash_otp(secret: bytes, token: str, code: str) -> str:
    """Keyed with the app secret and bound to its challenge, so a leaked table reveals nothing."""
    return hmac.new(secret, f"otp\x00{token}\x00{code}".encode(), hashlib.sha256).hexdigest()


def clean_otp(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def otp_matches(secret: bytes, token: str, typed: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_otp(secret, token, clean_otp(typed)), stored_hash)


def challenge_open(
    *, expires_at: datetime, used_at: datetime | None, attempts: int, now: datetime
) -> bool:
    return used_at is None and attempts < OTP_MAX_TRIES and now < expires_at


# --- Access codes -------------------------------------------------------------------------


def new_access_code() -> str:
    raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
    return format_access_code(raw)


def format_access_code(raw: str) -> str:
    return "-".join(raw[i : i + ACCESS_CODE_GROUP] for i in range(0, len(raw), ACCESS_CODE_GROUP))


def normalize_access_code(value: str) -> str:
    """Upper case, without the spaces and hyphens people add or leave out."""
    return re.sub(r"[\s\-–—]", "", value).upper()


def hash_access_code(code: str) -> str:
    # A plain digest is enough: ~79 random bits cannot be searched, and lookup needs equality.
    return hashlib.sha256(normalize_access_code(code).encode()).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Ages ---------------------------------------------------------------------------------


# One age arithmetic for the whole portal: portal.forecast.dates (a Feb 29 birthday falls
# on Mar 1 in common years).
birthday_at = birthday
age_on = age_in_years


def guardian_link_ends_on(birth_date: date, guardian_age: int) -> date:
    return birthday_at(birth_date, guardian_age)


def link_refusal(
    relationship: Relationship, birth_date: date, today: date, guardian_age: int
) -> str | None:
    """Why this relationship may not link a record of this birth date today, or None."""
    if birth_date > today:
        return "future"
    adult = age_on(birth_date, today) >= ADULT_AGE
    if relationship is Relationship.SELF and not adult:
        return "self_minor"
    if relationship in GUARDIAN_RELATIONSHIPS and age_on(birth_date, today) >= guardian_age:
        return "guardian_adult"
    return None


def days_until_end(ends_on: date | None, today: date) -> int | None:
    """Days left when a link ends within the warning period, else None."""
    if ends_on is None:
        return None
    left = (ends_on - today).days
    return left if 0 < left <= EXPIRY_WARNING_DAYS else None


# --- Lock-out -----------------------------------------------------------------------------


def lockout_until(
    failures: Sequence[datetime],
    *,
    threshold: int = LOCKOUT_FAILURES,
    window: timedelta = LOCKOUT_WINDOW,
    duration: timedelta = LOCKOUT_DURATION,
) -> datetime | None:
    """When a lock-out ends: `threshold` failures within `window` lock for `duration`.

    Returns the end of the latest lock-out the failures earned (it may lie in the past).
    """
    times = sorted(failures)
    until = None
    for i in range(threshold - 1, len(times)):
        if times[i] - times[i - threshold + 1] <= window:
            until = times[i] + duration
    return until


def locked_out(
    failures: Sequence[datetime], now: datetime, threshold: int = LOCKOUT_FAILURES
) -> datetime | None:
    until = lockout_until(failures, threshold=threshold)
    return until if until is not None and now < until else None
