"""Revocation ids (`rid`) and per-key Card Revocation Lists (CRLs)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .codec import b64url_encode
from .jws import RID_PATTERN
from .reasons import Reason

_ENTRY = re.compile(r"([A-Za-z0-9_-]{1,24})(?:\.([0-9]+))?")
MIN_SECRET_BYTES = 32  # the spec asks for a 256-bit random secret


def record_rid(secret: bytes, record_key: str, *, kid: str | None = None) -> str:
    """base64url of the first 64 bits of HMAC-SHA-256(secret || kid, record_key): 11
    characters, stable for a record, meaningless to anyone without the secret.

    Pass `kid` to follow the spec's RECOMMENDED derivation; then the same record
    gets unrelated rids under different signing keys, so CRLs cannot be linked."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"secret must be at least {MIN_SECRET_BYTES} random bytes")
    if not record_key:
        raise ValueError("record_key must not be empty")
    key = secret + (kid or "").encode("utf-8")
    digest = hmac.new(key, record_key.encode("utf-8"), hashlib.sha256).digest()
    return b64url_encode(digest[:8])


def crl_document(kid: str, ctr: int, entries: Iterable[tuple[str, int | None]]) -> dict[str, Any]:
    """The `/.well-known/crl/<kid>.json` document. Entry (rid, ts) revokes that rid's
    cards with nbf before ts; (rid, None) revokes all of them. Publish `ctr` as the
    key's crlVersion in the JWKS, and increase it with every change."""
    if isinstance(ctr, bool) or not isinstance(ctr, int) or ctr < 1:
        raise ValueError("ctr starts at 1")
    rids: list[str] = []
    seen: set[str] = set()
    for rid, ts in entries:
        if not RID_PATTERN.fullmatch(rid):
            raise ValueError(f"rid must be 1-24 base64url characters: {rid!r}")
        if rid in seen:
            raise ValueError(f"rid listed twice: {rid!r}")
        seen.add(rid)
        if ts is None:
            rids.append(rid)
        elif isinstance(ts, bool) or not isinstance(ts, int) or ts < 0:
            raise ValueError("timestamp must be whole seconds since the epoch")
        else:
            rids.append(f"{rid}.{ts}")
    return {"kid": kid, "method": "rid", "ctr": ctr, "rids": rids}


def is_revoked(crl_rids: Iterable[str], rid: str, nbf: int) -> bool:
    """The spec's rule: revoked if the CRL lists rid bare, or as rid.ts with nbf < ts.

    An entry for this rid whose timestamp cannot be read counts as a bare rid: when
    an issuer meant to revoke, failing closed is the safe reading."""
    for entry in crl_rids:
        base, dot, stamp = entry.partition(".")
        if base != rid:
            continue
        if not dot or not stamp.isdigit() or nbf < int(stamp):
            return True
    return False


def validate_crl(crl: Any, *, kid: str, crl_version: int | None) -> list[str]:
    """REVOCATION_ERROR once per problem; an empty list means the CRL is usable."""
    if not isinstance(crl, dict):
        return [Reason.REVOCATION_ERROR]
    errors: list[str] = []
    if crl.get("kid") != kid:
        errors.append(Reason.REVOCATION_ERROR)
    if crl.get("method") != "rid":
        errors.append(Reason.REVOCATION_ERROR)
    if crl_version is not None and crl.get("ctr") != crl_version:
        errors.append(Reason.REVOCATION_ERROR)  # stale cache or a stale file
    rids = crl.get("rids")
    if not isinstance(rids, list):
        return errors + [Reason.REVOCATION_ERROR]
    bases = []
    for entry in rids:
        match = _ENTRY.fullmatch(entry) if isinstance(entry, str) else None
        if match is None:
            errors.append(Reason.REVOCATION_ERROR)
        else:
            bases.append(match[1])
    if len(bases) != len(set(bases)):
        errors.append(Reason.REVOCATION_ERROR)  # a rid listed twice has no single meaning
    return errors


def revocation_checker(crls: Mapping[str, Mapping[str, Any]]) -> Callable[[str, str, int], bool]:
    """A `revoked(kid, rid, nbf)` callback for verify_card, from CRLs keyed by kid."""

    def revoked(kid: str, rid: str, nbf: int) -> bool:
        crl = crls.get(kid)
        rids = crl.get("rids") if crl is not None else None
        if not isinstance(rids, list):
            return False
        return is_revoked([r for r in rids if isinstance(r, str)], rid, nbf)

    return revoked
