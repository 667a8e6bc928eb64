"""Short verification codes: alphabet, entropy, normalization, hashing."""

from __future__ import annotations

import hashlib
import math
import re

import pytest

from portal.proof.cards import hash_short_code, new_short_code, normalize_short_code
from portal.proof.cards.shortcode import ALPHABET, ENTROPY_BITS

SHAPE = re.compile(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}")


def test_alphabet_has_no_confusable_symbols():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_entropy_is_at_least_60_bits():
    assert pytest.approx(16 * math.log2(31)) == ENTROPY_BITS
    assert ENTROPY_BITS >= 60


def test_new_codes_are_well_formed_and_vary():
    codes = {new_short_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(SHAPE.fullmatch(c) for c in codes)
    # With 8000 symbols drawn, every one of the 31 should show up.
    assert set("".join(codes).replace("-", "")) == set(ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "k7q4-m9tx-3hbr-wp2f",
        "K7Q4 M9TX 3HBR WP2F",
        "K7Q4M9TX3HBRWP2F",
        " k7q4\u2013m9tx\u20143hbr\u2212wp2f ",
        "\uff2b7Q4M9TX3HBRWP2F",
    ],
    ids=["lower", "spaces", "bare", "typographic-dashes", "full-width"],
)
def test_normalization_forgives_case_and_separators(typed):
    assert normalize_short_code(typed) == "K7Q4-M9TX-3HBR-WP2F"


@pytest.mark.parametrize(
    "typed",
    [
        "K7Q4-M9TX-3HBR-WP2O",
        "K7Q4-M9TX-3HBR-WP20",
        "K7Q4-M9TX-3HBR-WP2I",
        "K7Q4-M9TX-3HBR-WP2",
        "K7Q4-M9TX-3HBR-WP2FF",
    ],
    ids=["letter-O", "digit-0", "letter-I", "short", "long"],
)
def test_normalization_refuses_what_no_code_contains(typed):
    with pytest.raises(ValueError):
        normalize_short_code(typed)


def test_hash_is_sha256_of_the_normalized_code():
    code = new_short_code()
    assert hash_short_code(code) == hashlib.sha256(code.encode()).hexdigest()
    assert hash_short_code(code.lower().replace("-", " ")) == hash_short_code(code)
    assert hash_short_code(code) != hash_short_code(new_short_code())
