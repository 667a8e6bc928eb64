"""Strict base64url, JSON and raw-DEFLATE helpers shared by signer and verifier."""

from __future__ import annotations

import base64
import json
import re
import zlib
from typing import Any

_B64URL = re.compile(r"[A-Za-z0-9_-]*")

# Cards are sized for a QR code (a few kB; the spec's largest example, an International
# Patient Summary, inflates to 7 kB); anything that inflates past this is a decompression
# bomb, not a health card. Parsing and checking cost about 1.5 s per MB of crafted JSON,
# so the limit also bounds what one anonymous check can cost.
MAX_INFLATED_BYTES = 256_000
# A card nests about a dozen levels (the spec's IPS example: 16). Deeper JSON is an
# attack on the recursive parser and on the recursive FHIR checks, not a health card.
MAX_JSON_DEPTH = 64


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url, refusing padding, other alphabets and
    non-canonical trailing bits (which would let one signature have many spellings)."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(data) != text:
        raise ValueError("non-canonical base64url")
    return data


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return compressor.compress(data) + compressor.flush()


def inflate_raw(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Inflate a raw DEFLATE stream that must end exactly at the end of `data`."""
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as exc:
        raise ValueError(f"invalid raw DEFLATE data: {exc}") from exc
    if inflater.unconsumed_tail:
        raise ValueError("inflated payload is too large")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("truncated DEFLATE stream or data after its end")
    return out


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            # Two parsers that keep different duplicates would read different cards.
            raise ValueError(f"duplicate JSON member {key!r}")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def parse_json(text: str) -> Any:
    """json.loads without NaN/Infinity, without duplicate object members and without
    nesting deeper than MAX_JSON_DEPTH; anything else it refuses is a ValueError."""
    try:
        value = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    if _depth(value) > MAX_JSON_DEPTH:
        raise ValueError("JSON nested too deeply")
    return value


def minify_json(value: Any) -> bytes:
    return json.dumps(
        value, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
