"""Verify a SMART Health Card given as `shc:/` QR text, compact JWS or file content."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from .codec import parse_json
from .fhir_check import CardSummary, check_bundle, summarize_bundle
from .jws import (
    SIGNATURE_BYTES,
    decode_signature,
    split_compact,
    verify_es256,
)
from .jws_checks import check_header, read_payload, strip_edges
from .keys import signing_keys, thumbprint
from .payload_check import check_payload
from .qr import MAX_SINGLE_JWS, decode_qr_chunks
from .reasons import CardError, Reason

CHUNK_HEADER = re.compile(r"shc:/([1-9][0-9]{0,2})/([1-9][0-9]{0,2})/[0-9]")

Status = Literal["authentic", "not_authentic", "revoked", "unknown"]
KeysForIssuer = Callable[[str], Mapping[str, Any] | None]
RevokedCheck = Callable[[str, str, int], bool]
IssuerForKid = Callable[[str], str | None]
# A holder's file carries a handful of cards; thousands would only be a way to make
# the verifier inflate and parse thousands of payloads.
MAX_CARDS_PER_FILE = 20


@dataclass
class Verification:
    """What a verifier may show. `bundle` and `summary` are filled whenever the card
    could be decoded, so they are only trustworthy when `status == "authentic"`."""

    status: Status
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issuer: str | None = None
    kid: str | None = None
    nbf: int | None = None
    rid: str | None = None
    bundle: dict[str, Any] | None = None
    summary: CardSummary | None = None
    jws: str | None = None
    # MISSING_QR_CHUNK: which parts of how many were given (1-based), e.g. ([1], 2).
    parts_given: list[int] = field(default_factory=list)
    parts_total: int | None = None

    @property
    def is_authentic(self) -> bool:
        return self.status == "authentic"


@dataclass(frozen=True)
class _Context:
    keys_for_issuer: KeysForIssuer
    now: datetime
    revoked: RevokedCheck | None
    trusted_issuers: set[str] | None
    issuer_for_kid: IssuerForKid | None
    leeway: timedelta


def _resolve_key(
    iss: str, kid: str, ctx: _Context, errors: list[str], unknown: list[str]
) -> Mapping[str, Any] | None:
    """The issuer key whose thumbprint is `kid`. Failures go to `errors` when they
    show a forgery or a broken key set, to `unknown` when we simply lack the key."""
    jwks = None
    if ctx.trusted_issuers is None or iss in ctx.trusted_issuers:
        jwks = ctx.keys_for_issuer(iss)
    if jwks is not None:
        for key in signing_keys(jwks):
            if thumbprint(key) == kid:
                return key
        listed = jwks.get("keys")
        if isinstance(listed, list) and any(
            isinstance(k, dict) and k.get("kid") == kid for k in listed
        ):
            # Listed under this kid, but the key's thumbprint is something else.
            errors.append(Reason.INVALID_KEY_WRONG_KID)
            return None
    other = ctx.issuer_for_kid(kid) if ctx.issuer_for_kid else None
    if other is not None and other != iss:
        errors.append(Reason.ISSUER_KID_MISMATCH)
    elif jwks is None:
        unknown.append(Reason.UNKNOWN_ISSUER)
    else:
        unknown.append(Reason.JWS_VERIFICATION_ERROR)  # kid not in the issuer's key set
    return None


_MAX_TIMESTAMP = 2**40  # about the year 36812


def _read_claims(result: Verification, payload: dict[str, Any]) -> None:
    iss, nbf, vc = payload.get("iss"), payload.get("nbf"), payload.get("vc")
    result.issuer = iss if isinstance(iss, str) else None
    # Bounded first: a crafted integer nbf can be too large for a float (OverflowError).
    if (
        isinstance(nbf, int | float)
        and not isinstance(nbf, bool)
        and -_MAX_TIMESTAMP < nbf < _MAX_TIMESTAMP
        and math.isfinite(nbf)
    ):
        result.nbf = math.floor(nbf)
    if isinstance(vc, dict):
        rid = vc.get("rid")
        result.rid = rid if isinstance(rid, str) else None
        subject = vc.get("credentialSubject")
        bundle = subject.get("fhirBundle") if isinstance(subject, dict) else None
        if isinstance(bundle, dict):
            result.bundle = bundle
            result.summary = summarize_bundle(bundle)


def _verify_jws(
    jws: str, ctx: _Context, errors: list[str], warnings: list[str]
) -> Verification:
    result = Verification(status="not_authentic", errors=errors, warnings=warnings)
    jws = strip_edges(jws, errors)
    result.jws = jws
    if len(jws) > MAX_SINGLE_JWS:
        warnings.append(Reason.JWS_TOO_LONG)
    parts = split_compact(jws)
    if parts is None:
        errors.append(Reason.JSON_PARSE_ERROR)
        return result
    header = check_header(parts, errors)
    signature = decode_signature(parts)
    if signature is None or len(signature) != SIGNATURE_BYTES:
        # Usually a 70-72 byte DER signature; only the 64-byte R||S form is ES256.
        errors.append(Reason.SIGNATURE_FORMAT_ERROR)
        signature = None
    payload = read_payload(parts, errors)
    if isinstance(payload, dict):
        found = check_payload(payload, now=ctx.now, leeway=ctx.leeway)
        errors.extend(found.errors)
        warnings.extend(found.warnings)
        _read_claims(result, payload)
        if result.bundle is not None:
            found = check_bundle(result.bundle)
            errors.extend(found.errors)
            warnings.extend(found.warnings)
    elif payload is not None:
        errors.append(Reason.JSON_PARSE_ERROR)
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    result.kid = kid
    unknown: list[str] = []
    verified = False
    if kid is None or result.issuer is None:
        errors.append(Reason.JWS_VERIFICATION_ERROR)  # no key can be chosen
    else:
        key = _resolve_key(result.issuer, kid, ctx, errors, unknown)
        if key is not None and signature is not None:
            verified = verify_es256(parts, signature, key)
            if not verified:
                errors.append(Reason.JWS_VERIFICATION_ERROR)
    if errors:
        result.status = "not_authentic"
    elif unknown:
        result.status = "unknown"
    elif not verified:
        result.status = "not_authentic"
    elif (
        result.rid
        and kid
        and result.nbf is not None
        and ctx.revoked
        and ctx.revoked(kid, result.rid, result.nbf)
    ):
        result.status = "revoked"
        errors.append(Reason.REVOCATION_ERROR)
    else:
        result.status = "authentic"
    errors.extend(unknown)
    return result


def _credentials(body: str, errors: list[str], warnings: list[str]) -> list[str]:
    """The JWS strings carried by the input; raises CardError if there are none."""
    if body[:4].lower() == "shc:":
        decoded = decode_qr_chunks(body.split())
        warnings.extend(decoded.warnings)
        return [decoded.jws]
    if body.startswith("{"):
        try:
            doc = parse_json(body)
        except ValueError as exc:
            raise CardError(Reason.JSON_PARSE_ERROR, "not a JSON document") from exc
        vcs = doc.get("verifiableCredential") if isinstance(doc, dict) else None
        if (
            not isinstance(vcs, list)
            or not 0 < len(vcs) <= MAX_CARDS_PER_FILE
            or not all(isinstance(v, str) for v in vcs)
        ):
            raise CardError(
                Reason.SCHEMA_ERROR, "verifiableCredential must list JWS strings"
            )
        return vcs
    return [body]


def _read_input(
    text: str, ctx: _Context
) -> tuple[list[str], list[str], list[str]] | Verification:
    """(jws list, errors, warnings) of the input, or the refusal when it holds no card."""
    if ctx.now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    errors: list[str] = []
    warnings: list[str] = []
    body = strip_edges(text, errors)
    try:
        return _credentials(body, errors, warnings), errors, warnings
    except CardError as exc:
        result = Verification(
            status="not_authentic",
            errors=errors + exc.reasons,
            warnings=warnings + exc.warnings,
        )
        if Reason.MISSING_QR_CHUNK in exc.reasons:
            parts = chunk_parts(body.split())
            if parts is not None:
                result.parts_given, result.parts_total = parts
        return result


def chunk_parts(texts: list[str]) -> tuple[list[int], int] | None:
    """([given part numbers], total) of chunked `shc:/C/N/` texts that agree on N and
    leave parts out; None when the texts do not say that consistently."""
    given: set[int] = set()
    totals: set[int] = set()
    for text in texts:
        match = CHUNK_HEADER.match(text)
        if match is None:
            return None
        given.add(int(match[1]))
        totals.add(int(match[2]))
    if len(totals) != 1:
        return None
    total = totals.pop()
    if not given or max(given) > total or len(given) >= total:
        return None
    return sorted(given), total


def verify_cards(
    text: str,
    *,
    keys_for_issuer: KeysForIssuer,
    now: datetime,
    revoked: RevokedCheck | None = None,
    trusted_issuers: set[str] | None = None,
    issuer_for_kid: IssuerForKid | None = None,
    leeway: timedelta = timedelta(minutes=5),
) -> list[Verification]:
    """One Verification per card in `text` (a `.smart-health-card` may hold several)."""
    ctx = _Context(
        keys_for_issuer, now, revoked, trusted_issuers, issuer_for_kid, leeway
    )
    read = _read_input(text, ctx)
    if isinstance(read, Verification):
        return [read]
    jws_list, errors, warnings = read
    return [_verify_jws(jws, ctx, list(errors), list(warnings)) for jws in jws_list]


def verify_card(
    text: str,
    *,
    keys_for_issuer: KeysForIssuer,
    now: datetime,
    revoked: RevokedCheck | None = None,
    trusted_issuers: set[str] | None = None,
    issuer_for_kid: IssuerForKid | None = None,
    leeway: timedelta = timedelta(minutes=5),
) -> Verification:
    """Verify exactly one card given as `shc:/` text (chunks separated by whitespace),
    a compact JWS or `.smart-health-card` content. Input is taken as is: leading or
    trailing whitespace and a BOM are TRAILING_CHARACTERS errors.

    `keys_for_issuer(iss)` returns that issuer's JWKS or None. `iss` comes from the
    card, i.e. from whoever made it: look it up in a local directory (KeyDirectory),
    never fetch the URL it names. `revoked(kid, rid, nbf)` says whether the CRL of
    key `kid` revokes the card (see revocation_checker). `issuer_for_kid(kid)`
    (optional) names the issuer owning a key, to catch one issuer's key signing as
    another (ISSUER_KID_MISMATCH). `trusted_issuers`, if given, limits the issuers
    that can be authentic at all. `now` must be timezone-aware; `leeway` absorbs a
    verifier clock running behind the issuer's. A file holding several cards gives
    MULTIPLE_CARDS: use verify_cards for it."""
    ctx = _Context(
        keys_for_issuer, now, revoked, trusted_issuers, issuer_for_kid, leeway
    )
    read = _read_input(text, ctx)
    if isinstance(read, Verification):
        return read
    jws_list, errors, warnings = read
    if len(jws_list) > 1:
        # Refused before any card is inflated or checked: the answer cannot depend on
        # them, and a file of 20 crafted cards would cost 20 times the work of one.
        return Verification(status="not_authentic", errors=[Reason.MULTIPLE_CARDS])
    return _verify_jws(jws_list[0], ctx, errors, warnings)
