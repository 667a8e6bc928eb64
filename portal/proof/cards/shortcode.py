"""Short verification codes a parent can read aloud to a school over the phone."""

from __future__ import annotations

import hashlib
import math
import secrets
import unicodedata

# Digits and capitals without 0/O, 1/I/L: the pairs people misread or mishear.
# With O and 0 both absent there is no safe guess for either, so they are refused
# rather than mapped to something the holder never had.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS = 4
GROUP_SIZE = 4
LENGTH = GROUPS * GROUP_SIZE
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))  # about 79.3
_SEPARATORS = {" ", "-", "\t", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"}


def _group(chars: str) -> str:
    return "-".join(chars[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def new_short_code() -> str:
    """A fresh code such as `K7Q4-M9TX-3HBR-WP2F` (16 symbols, ~79 bits)."""
    return _group("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalize_short_code(text: str) -> str:
    """The canonical `XXXX-XXXX-XXXX-XXXX` form of what someone typed.

    Case, spaces, dashes (including typographic ones) and full-width characters
    are forgiven; a character outside the alphabet raises ValueError."""
    folded = unicodedata.normalize("NFKC", text).upper()
    chars = "".join(c for c in folded if c not in _SEPARATORS)
    bad = sorted({c for c in chars if c not in ALPHABET})
    if bad:
        raise ValueError(f"characters not used in codes: {''.join(bad)}")
    if len(chars) != LENGTH:
        raise ValueError(f"a code has {LENGTH} characters, got {len(chars)}")
    return _group(chars)


def hash_short_code(code: str) -> str:
    """SHA-256 hex of the normalized code, for storage. A fast hash is enough: with
    ~79 bits of entropy the code cannot be guessed from its hash."""
    return hashlib.sha256(normalize_short_code(code).encode("ascii")).hexdigest()
