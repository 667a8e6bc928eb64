"""SMART Health Cards: issue signed immunization cards as QR codes and verify them.

Pure functions and small dataclasses; no web framework. Spec: SMART Health Cards
(HL7 smart-health-cards-and-links), cards-specification."""

from .bundle import CVX_SYSTEM, CardDose, CardPatient, build_bundle
from .fhir_check import CardSummary, DoseSummary
from .jws import (
    DEFAULT_TYPES,
    HEALTH_CARD,
    IMMUNIZATION,
    card_payload,
    sign_card,
    sign_payload,
)
from .keys import (
    check_jwks,
    generate_key,
    load_private_key,
    public_jwk,
    public_jwks,
    thumbprint,
)
from .qr import (
    ScannedQr,
    decode_qr_chunks,
    decode_qr_image,
    jws_to_qr_chunks,
    make_qr,
    qr_chunks_to_jws,
    qr_matrix,
    qr_png,
    qr_svg,
    scan_qr_image,
)
from .reasons import CardError, CardKeyError, QrError, Reason
from .revocation import (
    crl_document,
    is_revoked,
    record_rid,
    revocation_checker,
    validate_crl,
)
from .scan import verify_qr_images
from .shortcode import hash_short_code, new_short_code, normalize_short_code
from .trust import KeyDirectory
from .verify import Verification, verify_card, verify_cards

__all__ = [
    "CVX_SYSTEM",
    "DEFAULT_TYPES",
    "HEALTH_CARD",
    "IMMUNIZATION",
    "CardDose",
    "CardError",
    "CardKeyError",
    "CardPatient",
    "CardSummary",
    "DoseSummary",
    "KeyDirectory",
    "QrError",
    "Reason",
    "ScannedQr",
    "Verification",
    "build_bundle",
    "card_payload",
    "check_jwks",
    "crl_document",
    "decode_qr_chunks",
    "decode_qr_image",
    "generate_key",
    "hash_short_code",
    "is_revoked",
    "jws_to_qr_chunks",
    "load_private_key",
    "make_qr",
    "new_short_code",
    "normalize_short_code",
    "public_jwk",
    "public_jwks",
    "qr_chunks_to_jws",
    "qr_matrix",
    "qr_png",
    "qr_svg",
    "record_rid",
    "revocation_checker",
    "scan_qr_image",
    "sign_card",
    "sign_payload",
    "thumbprint",
    "validate_crl",
    "verify_card",
    "verify_cards",
    "verify_qr_images",
]
