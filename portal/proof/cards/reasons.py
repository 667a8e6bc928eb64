"""Reason codes reported by the verifier, named as in the SMART Health Cards dev-tools."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """A StrEnum, so each member compares equal to its plain-string name."""

    TRAILING_CHARACTERS = "TRAILING_CHARACTERS"
    JSON_PARSE_ERROR = "JSON_PARSE_ERROR"
    SCHEMA_ERROR = "SCHEMA_ERROR"
    FHIR_SCHEMA_ERROR = "FHIR_SCHEMA_ERROR"
    JWS_HEADER_ERROR = "JWS_HEADER_ERROR"
    JWS_VERIFICATION_ERROR = "JWS_VERIFICATION_ERROR"
    JWS_TOO_LONG = "JWS_TOO_LONG"
    SIGNATURE_FORMAT_ERROR = "SIGNATURE_FORMAT_ERROR"
    INFLATION_ERROR = "INFLATION_ERROR"
    INVALID_ISSUER_URL = "INVALID_ISSUER_URL"
    UNKNOWN_ISSUER = "UNKNOWN_ISSUER"
    ISSUER_KID_MISMATCH = "ISSUER_KID_MISMATCH"
    INVALID_KEY_WRONG_KID = "INVALID_KEY_WRONG_KID"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRATION_ERROR = "EXPIRATION_ERROR"
    REVOCATION_ERROR = "REVOCATION_ERROR"
    INVALID_QR = "INVALID_QR"
    INVALID_QR_VERSION = "INVALID_QR_VERSION"
    INVALID_NUMERIC_QR = "INVALID_NUMERIC_QR"
    INVALID_NUMERIC_QR_HEADER = "INVALID_NUMERIC_QR_HEADER"
    MISSING_QR_CHUNK = "MISSING_QR_CHUNK"
    QR_CHUNKING_DEPRECATED = "QR_CHUNKING_DEPRECATED"
    UNBALANCED_QR_CHUNKS = "UNBALANCED_QR_CHUNKS"
    QR_DECODE_ERROR = "QR_DECODE_ERROR"
    MULTIPLE_CARDS = "MULTIPLE_CARDS"
    INVALID_KEY_WRONG_KTY = "INVALID_KEY_WRONG_KTY"
    INVALID_KEY_WRONG_CRV = "INVALID_KEY_WRONG_CRV"
    INVALID_KEY_WRONG_ALG = "INVALID_KEY_WRONG_ALG"
    INVALID_KEY_WRONG_USE = "INVALID_KEY_WRONG_USE"
    INVALID_KEY_PRIVATE = "INVALID_KEY_PRIVATE"
    INVALID_KEY_SCHEMA = "INVALID_KEY_SCHEMA"


class CardError(ValueError):
    """An input the library refuses; `reason` is the first code, `reasons` all of them."""

    def __init__(
        self,
        reason: Reason,
        message: str,
        *,
        reasons: list[Reason] | None = None,
        warnings: list[str] | None = None,
    ):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.reasons: list[str] = list(reasons) if reasons else [reason]
        self.warnings: list[str] = list(warnings) if warnings else []


class QrError(CardError):
    """A numeric QR text or a QR image that cannot be turned into a JWS."""


class CardKeyError(ValueError):
    """A JWK or JWKS that is not a usable ES256 P-256 key."""
