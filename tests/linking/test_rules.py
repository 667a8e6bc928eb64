"""The linking rules as plain functions: matching, codes, ages and the lock-out."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.linking import rules
from portal.linking.models import Relationship

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "on_file"),
    [
        ("jose", "José"),
        ("MARIA JOSE", "María-José"),
        ("garcia lopez", "García-López"),
        ("OBrien", "O'Brien"),
        ("  Zoë ", "ZOE"),
        ("Nguyễn", "nguyen"),
    ],
)
def test_names_compare_without_case_accents_hyphens_spaces(typed: str, on_file: str) -> None:
    assert rules.normalize_name(typed) == rules.normalize_name(on_file)


def test_different_names_stay_different() -> None:
    assert rules.normalize_name("Maria") != rules.normalize_name("Mario")
    assert not rules.names_match("Ana", "Lopez", "Ana", "Lopes")
    assert rules.names_match("ana", "lópez", "Ana", "Lopez")


@pytest.mark.parametrize(
    "typed", ["(559) 555-0123", "559.555.0123", "+1 559 555 0123", "1-559-555-0123", "5595550123"]
)
def test_phone_numbers_reduce_to_ten_digits(typed: str) -> None:
    assert rules.normalize_phone(typed) == "5595550123"


@pytest.mark.parametrize("typed", ["555-0123", "25595550123", "0595550123", "phone", ""])
def test_what_is_not_a_us_number_is_refused(typed: str) -> None:
    assert rules.normalize_phone(typed) is None


def test_email_is_trimmed_and_lower_cased() -> None:
    assert rules.normalize_email("  Ana.Lopez@Example.ORG ") == "ana.lopez@example.org"
    assert rules.normalize_email("ana@localhost") is None
    assert rules.normalize_email("ana lopez@example.org") is None


def test_contact_is_parsed_as_email_or_phone() -> None:
    assert rules.parse_contact("Ana@Example.org") == ("email", "ana@example.org")
    assert rules.parse_contact("(559) 555-0123") == ("sms", "5595550123")
    assert rules.parse_contact("not a contact") is None


def test_contact_must_be_the_one_on_record() -> None:
    assert rules.contact_on_record(("sms", "5595550123"), "559-555-0123", None)
    assert rules.contact_on_record(("email", "ana@example.org"), None, "ANA@example.org")
    assert not rules.contact_on_record(("sms", "5595550199"), "559-555-0123", "a@example.org")
    assert not rules.contact_on_record(("email", "ana@example.org"), "5595550123", None)


def test_fingerprints_are_keyed_and_hide_the_details() -> None:
    one = rules.details_fingerprint(b"k1", "maria", "lopez", "2019-03-14")
    assert one == rules.details_fingerprint(b"k1", "maria", "lopez", "2019-03-14")
    assert one != rules.details_fingerprint(b"k2", "maria", "lopez", "2019-03-14")
    assert "maria" not in one and re.fullmatch(r"[0-9a-f]{64}", one)
    assert rules.address_fingerprint(b"k", None) is None
    assert rules.address_fingerprint(b"k", "10.0.0.1") != "10.0.0.1"


def test_one_time_codes_have_six_digits_and_are_stored_keyed() -> None:
    code = rules.new_otp()
    assert re.fullmatch(r"\d{6}", code)
    stored = rules.hash_otp(b"secret", "token", code)
    assert code not in stored
    assert rules.otp_matches(b"secret", "token", f" {code[:3]} {code[3:]} ", stored)
    assert not rules.otp_matches(b"other", "token", code, stored)
    assert not rules.otp_matches(b"secret", "other-token", code, stored)


def test_a_challenge_closes_on_expiry_use_or_five_tries() -> None:
    later = T0 + rules.OTP_LIFETIME
    assert rules.challenge_open(expires_at=later, used_at=None, attempts=4, now=T0)
    assert not rules.challenge_open(expires_at=later, used_at=None, attempts=5, now=T0)
    assert not rules.challenge_open(expires_at=later, used_at=T0, attempts=0, now=T0)
    assert not rules.challenge_open(expires_at=later, used_at=None, attempts=0, now=later)
    assert rules.OTP_LIFETIME == timedelta(minutes=10)


def test_access_codes_are_readable_grouped_and_high_entropy() -> None:
    codes = {rules.new_access_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code) & set("0O1IL")
    bits = rules.ACCESS_CODE_LENGTH * math.log2(len(rules.ACCESS_CODE_ALPHABET))
    assert bits >= 60


def test_access_codes_compare_without_case_spaces_or_hyphens() -> None:
    code = "ABCD-EFGH-JKMN-PQRS"
    assert rules.hash_access_code(code) == rules.hash_access_code("abcd efgh jkmn pqrs")
    assert rules.hash_access_code(code) == rules.hash_access_code("ABCDEFGHJKMNPQRS")
    assert rules.hash_access_code(code) != rules.hash_access_code("ABCD-EFGH-JKMN-PQRT")
    assert code not in rules.hash_access_code(code)


def test_birthdays_and_ages() -> None:
    born = date(2008, 6, 15)
    assert rules.birthday_at(born, 18) == date(2026, 6, 15)
    assert rules.age_on(born, date(2026, 6, 14)) == 17
    assert rules.age_on(born, date(2026, 6, 15)) == 18


def test_a_leap_day_birthday_falls_on_march_first_in_common_years() -> None:
    born = date(2008, 2, 29)
    assert rules.birthday_at(born, 18) == date(2026, 3, 1)
    assert rules.birthday_at(born, 16) == date(2024, 2, 29)
    assert rules.age_on(born, date(2026, 2, 28)) == 17
    assert rules.age_on(born, date(2026, 3, 1)) == 18
    assert rules.guardian_link_ends_on(born, 18) == date(2026, 3, 1)


def test_guardian_link_ends_on_the_birthday_itself() -> None:
    # Which links are in force is decided in SQL (services._active); its boundary is
    # tested through active_link_for in test_dashboard.py and tests/records.
    assert rules.guardian_link_ends_on(date(2008, 6, 15), 18) == date(2026, 6, 15)


def test_who_may_link_which_record() -> None:
    today = date(2026, 6, 15)
    child, adult = date(2019, 3, 14), date(2008, 6, 15)
    assert rules.link_refusal(Relationship.PARENT, child, today, 18) is None
    assert rules.link_refusal(Relationship.GUARDIAN, child, today, 18) is None
    assert rules.link_refusal(Relationship.SELF, child, today, 18) == "self_minor"
    assert rules.link_refusal(Relationship.SELF, adult, today, 18) is None
    assert rules.link_refusal(Relationship.PARENT, adult, today, 18) == "guardian_adult"
    assert rules.link_refusal(Relationship.PARENT, date(2026, 6, 16), today, 18) == "future"
    assert rules.link_refusal(Relationship.PARENT, adult, today, 21) is None


def test_the_warning_starts_sixty_days_before_the_end() -> None:
    ends = date(2026, 6, 15)
    assert rules.days_until_end(ends, ends - timedelta(days=61)) is None
    assert rules.days_until_end(ends, ends - timedelta(days=60)) == 60
    assert rules.days_until_end(ends, ends - timedelta(days=1)) == 1
    assert rules.days_until_end(ends, ends) is None
    assert rules.days_until_end(None, ends) is None


def test_ten_failures_within_a_day_lock_for_a_day() -> None:
    failures = [T0 + timedelta(minutes=i) for i in range(10)]
    until = failures[-1] + timedelta(hours=24)
    assert rules.lockout_until(failures[:9]) is None
    assert rules.lockout_until(failures) == until
    assert rules.locked_out(failures, until - timedelta(seconds=1)) == until
    assert rules.locked_out(failures, until) is None


def test_failures_spread_over_more_than_a_day_do_not_lock() -> None:
    failures = [T0 + timedelta(hours=3 * i) for i in range(10)]  # 27 hours
    assert rules.lockout_until(failures) is None
