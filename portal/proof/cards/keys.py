"""ES256 (P-256) issuer keys as JWK dicts, RFC 7638 thumbprints and public JWK sets."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from .codec import b64url_decode, b64url_encode
from .reasons import CardKeyError, Reason

_COORD_BYTES = 32


def _int_to_b64(value: int) -> str:
    return b64url_encode(value.to_bytes(_COORD_BYTES, "big"))


def _coord(jwk: Mapping[str, Any], name: str) -> int:
    raw = jwk.get(name)
    if not isinstance(raw, str):
        raise CardKeyError(f"JWK member {name!r} is missing")
    try:
        data = b64url_decode(raw)
    except ValueError as exc:
        raise CardKeyError(f"JWK member {name!r} is not base64url") from exc
    if len(data) != _COORD_BYTES:
        raise CardKeyError(f"JWK member {name!r} is not {_COORD_BYTES} bytes")
    return int.from_bytes(data, "big")


def _check_ec_p256(jwk: Mapping[str, Any]) -> None:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise CardKeyError("key is not an EC P-256 JWK")


def thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint: base64url SHA-256 of the required members in lexical order."""
    _check_ec_p256(jwk)
    canonical = {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk.get("x"), "y": jwk.get("y")}
    if not all(isinstance(v, str) for v in canonical.values()):
        raise CardKeyError("JWK lacks x or y")
    text = json.dumps(canonical, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(text.encode("utf-8")).digest())


def public_key_object(jwk: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
    """The curve point of a JWK; raises CardKeyError if it is not on P-256."""
    _check_ec_p256(jwk)
    try:
        return ec.EllipticCurvePublicNumbers(_coord(jwk, "x"), _coord(jwk, "y"), ec.SECP256R1()).public_key()
    except ValueError as exc:
        raise CardKeyError("JWK point is not on P-256") from exc


def private_key_object(jwk: Mapping[str, Any]) -> ec.EllipticCurvePrivateKey:
    """The private key of a JWK, checked against the x and y it claims."""
    public = public_key_object(jwk)
    try:
        private = ec.derive_private_key(_coord(jwk, "d"), ec.SECP256R1())
    except ValueError as exc:
        raise CardKeyError("JWK member 'd' is not a P-256 scalar") from exc
    if private.public_key().public_numbers() != public.public_numbers():
        raise CardKeyError("JWK 'd' does not belong to its x and y")
    return private


def _private_jwk(private: ec.EllipticCurvePrivateKey) -> dict[str, str]:
    numbers = private.private_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": _int_to_b64(numbers.public_numbers.x),
        "y": _int_to_b64(numbers.public_numbers.y),
        "d": _int_to_b64(numbers.private_value),
        "use": "sig",
        "alg": "ES256",
    }
    jwk["kid"] = thumbprint(jwk)
    return jwk


def generate_key() -> dict[str, str]:
    """A fresh private signing JWK with kid = its thumbprint."""
    return _private_jwk(ec.generate_private_key(ec.SECP256R1()))


def _is_signing_key(jwk: Any) -> bool:
    return (
        isinstance(jwk, dict)
        and jwk.get("kty") == "EC"
        and jwk.get("crv") == "P-256"
        and jwk.get("use") == "sig"
        and jwk.get("alg") == "ES256"
    )


def load_private_key(text: str, *, kid: str | None = None) -> dict[str, str]:
    """Load a private signing JWK from JSON text holding one JWK or a JWKS.

    From a JWKS the `use: sig`, `alg: ES256` key is taken; if several qualify, `kid`
    must say which (guessing would sign with a key the caller did not mean)."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise CardKeyError("key text is not JSON") from exc
    if isinstance(doc, dict) and "keys" in doc:
        keys = doc["keys"] if isinstance(doc["keys"], list) else []
        candidates = [k for k in keys if _is_signing_key(k) and "d" in k]
    else:
        candidates = [doc] if isinstance(doc, dict) else []
    if kid is not None:
        candidates = [k for k in candidates if k.get("kid") == kid]
    if not candidates:
        raise CardKeyError("no private ES256 signing key found")
    if len(candidates) > 1:
        raise CardKeyError("several ES256 signing keys; pass kid= to choose one")
    jwk = candidates[0]
    if jwk.get("use", "sig") != "sig" or jwk.get("alg", "ES256") != "ES256":
        raise CardKeyError("key is not marked use=sig, alg=ES256")
    loaded = _private_jwk(private_key_object(jwk))
    if "kid" in jwk and jwk["kid"] != loaded["kid"]:
        raise CardKeyError("JWK kid is not its RFC 7638 thumbprint")
    return loaded


def public_jwk(jwk: Mapping[str, Any], *, crl_version: int | None = None) -> dict[str, Any]:
    """The publishable form of a key: no private members, kid = thumbprint."""
    public_key_object(jwk)
    out: dict[str, Any] = {
        "kty": "EC",
        "kid": thumbprint(jwk),
        "use": "sig",
        "alg": "ES256",
        "crv": "P-256",
        "x": jwk["x"],
        "y": jwk["y"],
    }
    if crl_version is not None:
        # Verifiers only look for a CRL when the key advertises crlVersion.
        out["crlVersion"] = crl_version
    return out


def public_jwks(
    keys: Iterable[Mapping[str, Any]], *, crl_versions: Mapping[str, int] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The issuer's `/.well-known/jwks.json` document for the given keys."""
    versions = crl_versions or {}
    published = []
    for key in keys:
        kid = thumbprint(key)
        published.append(public_jwk(key, crl_version=versions.get(kid)))
    return {"keys": published}


def signing_keys(jwks: Any) -> list[dict[str, Any]]:
    """The well-formed ES256 signing keys of a JWKS; anything else is ignored."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        return []
    usable = []
    for key in jwks["keys"]:
        if not _is_signing_key(key) or "d" in key:
            continue
        try:
            public_key_object(key)
        except CardKeyError:
            continue
        usable.append(key)
    return usable


def check_jwks(jwks: Any) -> dict[str, list[str]]:
    """Problems of each key in an issuer's published JWKS, by its kid (or index).

    Keys with problems are never used by the verifier; this names the reasons, for
    whoever maintains the trust directory. x5c chains are not checked here."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    if not isinstance(keys, list):
        return {"": [Reason.INVALID_KEY_SCHEMA]}
    report: dict[str, list[str]] = {}
    for index, key in enumerate(keys):
        if not isinstance(key, dict):
            report[str(index)] = [Reason.INVALID_KEY_SCHEMA]
            continue
        problems: list[str] = []
        if key.get("kty") != "EC":
            problems.append(Reason.INVALID_KEY_WRONG_KTY)
        elif key.get("crv") != "P-256":
            problems.append(Reason.INVALID_KEY_WRONG_CRV)
        if key.get("alg") != "ES256":
            problems.append(Reason.INVALID_KEY_WRONG_ALG)
        if key.get("use") != "sig":
            problems.append(Reason.INVALID_KEY_WRONG_USE)
        if "d" in key:
            problems.append(Reason.INVALID_KEY_PRIVATE)
        if not problems:
            try:
                public_key_object(key)
                if key.get("kid") != thumbprint(key):
                    problems.append(Reason.INVALID_KEY_WRONG_KID)
            except CardKeyError:
                problems.append(Reason.INVALID_KEY_SCHEMA)
        if problems:
            report[str(key.get("kid", index))] = problems
    return report
