"""Strict reading of a compact JWS: edges, protected header and compressed payload.

Each function appends reason codes to `errors` and carries on, so one verification
reports every defect it can see rather than only the first."""

from __future__ import annotations

from typing import Any

from .codec import b64url_decode, inflate_raw, parse_json
from .jws import JwsParts
from .reasons import Reason


def strip_edges(text: str, errors: list[str]) -> str:
    """Strip a BOM and surrounding whitespace, reporting either as an error."""
    body = text.removeprefix("\ufeff")
    if body != text or body.strip() != body:
        errors.append(Reason.TRAILING_CHARACTERS)
    return body.strip()


def check_header(parts: JwsParts, errors: list[str]) -> dict[str, Any]:
    """The protected header, which must say exactly alg ES256, zip DEF and a kid."""
    try:
        header = parse_json(b64url_decode(parts.header_b64).decode("utf-8"))
    except ValueError:  # includes UnicodeDecodeError
        header = None
    if not isinstance(header, dict):
        errors.append(Reason.JWS_HEADER_ERROR)
        return {}
    if header.get("alg") != "ES256":
        errors.append(Reason.JWS_HEADER_ERROR)
    if header.get("zip") != "DEF":
        errors.append(Reason.JWS_HEADER_ERROR)
    if not isinstance(header.get("kid"), str):
        errors.append(Reason.JWS_HEADER_ERROR)
    if "crit" in header:
        errors.append(Reason.JWS_HEADER_ERROR)  # no JWS extension is understood here
    return header


def read_payload(parts: JwsParts, errors: list[str]) -> Any:
    """The payload JSON after raw inflation, or None when it cannot be read."""
    try:
        compressed = b64url_decode(parts.payload_b64)
    except ValueError:
        errors.append(Reason.JWS_VERIFICATION_ERROR)
        return None
    try:
        inflated = inflate_raw(compressed)
    except ValueError:
        errors.append(Reason.INFLATION_ERROR)
        return None
    try:
        text = strip_edges(inflated.decode("utf-8"), errors)
        return parse_json(text)
    except ValueError:  # includes UnicodeDecodeError
        errors.append(Reason.JSON_PARSE_ERROR)
        return None
