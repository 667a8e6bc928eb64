"""Compact JWS for health cards: DEFLATE-compressed payload, ES256 with raw R||S."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from .codec import b64url_decode, b64url_encode, deflate_raw, minify_json
from .keys import private_key_object, public_key_object, thumbprint

HEALTH_CARD = "https://smarthealth.cards#health-card"
IMMUNIZATION = "https://smarthealth.cards#immunization"
DEFAULT_TYPES: tuple[str, ...] = (HEALTH_CARD, IMMUNIZATION)
FHIR_VERSION = "4.0.1"
SIGNATURE_BYTES = 64
RID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,24}")


def is_valid_issuer_url(iss: str) -> bool:
    """The spec's rule for `iss`: https, and no trailing slash."""
    return iss.startswith("https://") and len(iss) > len("https://") and not iss.endswith("/")


def sign_payload(payload: bytes, *, key: Mapping[str, Any]) -> str:
    """Sign payload bytes exactly as given (DEFLATE, ES256, kid = key thumbprint)."""
    private = private_key_object(key)
    header = minify_json({"zip": "DEF", "alg": "ES256", "kid": thumbprint(key)})
    signing_input = f"{b64url_encode(header)}.{b64url_encode(deflate_raw(payload))}"
    der = private.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    # JWS ES256 wants the fixed-width R||S form (RFC 7518 3.4), not the DER cryptography returns.
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input}.{b64url_encode(raw)}"


def card_payload(
    bundle: Mapping[str, Any],
    *,
    issuer: str,
    nbf: int,
    rid: str | None,
    types: Sequence[str] = DEFAULT_TYPES,
    exp: int | None = None,
) -> dict[str, Any]:
    """The JWT claims of a card, validated against the spec's issuer-side SHALLs."""
    if not is_valid_issuer_url(issuer):
        raise ValueError("issuer must be an https URL without a trailing slash")
    if isinstance(nbf, bool) or not isinstance(nbf, int) or nbf < 0:
        raise ValueError("nbf must be seconds since the epoch")
    if exp is not None and (isinstance(exp, bool) or not isinstance(exp, int) or exp <= nbf):
        raise ValueError("exp must be seconds since the epoch, after nbf")
    if HEALTH_CARD not in types:
        raise ValueError(f"types must include {HEALTH_CARD}")
    if rid is not None and not RID_PATTERN.fullmatch(rid):
        raise ValueError("rid must be 1-24 base64url characters")
    vc: dict[str, Any] = {
        "type": list(types),
        "credentialSubject": {"fhirVersion": FHIR_VERSION, "fhirBundle": dict(bundle)},
    }
    if rid is not None:
        vc["rid"] = rid
    payload: dict[str, Any] = {"iss": issuer, "nbf": nbf}
    if exp is not None:
        payload["exp"] = exp
    payload["vc"] = vc
    return payload


def sign_card(
    bundle: Mapping[str, Any],
    *,
    issuer: str,
    key: Mapping[str, Any],
    nbf: int,
    rid: str | None,
    types: Sequence[str] = DEFAULT_TYPES,
    exp: int | None = None,
) -> str:
    """The compact JWS of a health card holding `bundle`, with a minified payload.

    `rid` has no default on purpose: each card either gets a revocation id or the
    caller decides, visibly, that it cannot be revoked individually."""
    payload = card_payload(bundle, issuer=issuer, nbf=nbf, rid=rid, types=types, exp=exp)
    return sign_payload(minify_json(payload), key=key)


@dataclass(frozen=True)
class JwsParts:
    header_b64: str
    payload_b64: str
    signature_b64: str

    @property
    def signing_input(self) -> bytes:
        return f"{self.header_b64}.{self.payload_b64}".encode("ascii")


_COMPACT = re.compile(r"([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)")


def split_compact(jws: str) -> JwsParts | None:
    """The three base64url parts of a compact JWS, or None if it is not one."""
    match = _COMPACT.fullmatch(jws)
    if match is None:
        return None
    return JwsParts(*match.groups())


def verify_es256(parts: JwsParts, signature: bytes, jwk: Mapping[str, Any]) -> bool:
    """True if the 64-byte R||S `signature` over the parts verifies under `jwk`."""
    if len(signature) != SIGNATURE_BYTES:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    try:
        public_key_object(jwk).verify(
            encode_dss_signature(r, s), parts.signing_input, ec.ECDSA(hashes.SHA256())
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def decode_signature(parts: JwsParts) -> bytes | None:
    try:
        return b64url_decode(parts.signature_b64)
    except ValueError:
        return None
