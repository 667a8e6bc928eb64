"""Time-based one-time codes for staff (RFC 6238 via pyotp); no Flask here."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pyotp
import segno

# One step either side forgives a phone clock that is up to 30 seconds off.
VALID_WINDOW = 1
ISSUER = "Immunization Registry"
_CODE = re.compile(r"^\d{6}$")


class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    REUSED = "reused"


@dataclass(frozen=True)
class CodeResult:
    check: CodeCheck
    step: int | None = None


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images, not inline markup)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


def normalize_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "")


def check_code(secret: str, code: str, *, now: datetime, last_step: int | None) -> CodeResult:
    """Whether a code is right for now (± one step) and newer than the last one accepted."""
    code = normalize_code(code)
    if not _CODE.match(code):
        return CodeResult(CodeCheck.WRONG)
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return CodeResult(CodeCheck.REUSED, step)
            return CodeResult(CodeCheck.OK, step)
    return CodeResult(CodeCheck.WRONG)
