"""Verify a card from photos or scans of its QR code(s)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from .qr import check_scanned_qr, scan_qr_image
from .reasons import QrError
from .verify import IssuerForKid, KeysForIssuer, RevokedCheck, Verification, verify_card


def verify_qr_images(
    images: Sequence[bytes],
    *,
    keys_for_issuer: KeysForIssuer,
    now: datetime,
    revoked: RevokedCheck | None = None,
    trusted_issuers: set[str] | None = None,
    issuer_for_kid: IssuerForKid | None = None,
    leeway: timedelta = timedelta(minutes=5),
) -> Verification:
    """Decode every QR code in the PNG/JPEG images (any order, for chunked cards),
    check each symbol's version, then verify the card they carry."""
    errors: list[str] = []
    warnings: list[str] = []
    texts: list[str] = []
    for data in images:
        try:
            scanned = scan_qr_image(data)
        except QrError as exc:
            return Verification(status="not_authentic", errors=list(exc.reasons))
        for symbol in scanned:
            symbol_errors, symbol_warnings = check_scanned_qr(symbol)
            errors.extend(symbol_errors)
            warnings.extend(symbol_warnings)
            texts.append(symbol.text)
    result = verify_card(
        "\n".join(texts),
        keys_for_issuer=keys_for_issuer,
        now=now,
        revoked=revoked,
        trusted_issuers=trusted_issuers,
        issuer_for_kid=issuer_for_kid,
        leeway=leeway,
    )
    result.errors[:0] = errors
    result.warnings[:0] = warnings
    if errors:
        result.status = "not_authentic"
    return result
