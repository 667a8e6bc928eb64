"""Fixtures over the read-only SMART Health Cards conformance material
(PORTAL_CONFORMANCE_DIR/shc, see tests/conformance.py).

Test modules take everything from fixtures instead of importing this file, so they
work under any pytest import mode."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portal.proof.cards import (
    KeyDirectory,
    Verification,
    load_private_key,
    sign_payload,
    verify_card,
    verify_cards,
    verify_qr_images,
)
from tests.conformance import require

EXAMPLE_ISSUER = "https://spec.smarthealth.cards/examples/issuer"
EXAMPLE_KID = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
X5C_KID = "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw"
# Owner we give to dev-tools' issuer.jwks.public.not.smart.json: some other issuer.
OTHER_ISSUER = "https://other-issuer.example.org"
# After every example's nbf (2021-2024), before the dev-tools' far-future one (2050).
NOW = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def shc_dir() -> Path:
    """Skipped outside CI, failed in CI, when the material is missing (tests/conformance.py)."""
    return require("shc", "SOURCE.md").parent


@pytest.fixture(scope="session")
def testdata(shc_dir: Path) -> Path:
    return shc_dir / "dev-tools-testdata"


@pytest.fixture(scope="session")
def examples(shc_dir: Path) -> Path:
    return shc_dir / "spec-examples"


@pytest.fixture(scope="session")
def example_jwks(shc_dir: Path) -> dict[str, Any]:
    return json.loads((shc_dir / "issuer" / ".well-known" / "jwks.json").read_text())


@pytest.fixture(scope="session")
def example_private_text(shc_dir: Path) -> str:
    return (shc_dir / "issuer" / "EXAMPLE-ONLY.issuer.jwks.private.json").read_text()


@pytest.fixture(scope="session")
def example_key(example_private_text: str) -> dict[str, str]:
    return load_private_key(example_private_text, kid=EXAMPLE_KID)


@pytest.fixture(scope="session")
def directory(example_jwks: dict[str, Any], testdata: Path) -> KeyDirectory:
    other = json.loads((testdata / "issuer.jwks.public.not.smart.json").read_text())
    return KeyDirectory({EXAMPLE_ISSUER: example_jwks, OTHER_ISSUER: other})


@pytest.fixture
def verify(directory: KeyDirectory) -> Callable[..., Verification]:
    """verify_card against the example issuer, at NOW, unless told otherwise."""

    def run(text: str, **overrides: Any) -> Verification:
        options: dict[str, Any] = {
            "keys_for_issuer": directory.keys_for_issuer,
            "issuer_for_kid": directory.issuer_for_kid,
            "now": NOW,
        }
        options.update(overrides)
        return verify_card(text, **options)

    return run


@pytest.fixture
def sign_text(example_key: dict[str, str]) -> Callable[[bytes], str]:
    """Sign payload bytes as they are, as the dev-tools signed their -b- vectors."""

    def run(payload: bytes) -> str:
        return sign_payload(payload, key=example_key)

    return run


def _wrap_bundle(bundle: dict[str, Any]) -> bytes:
    payload = {
        "iss": EXAMPLE_ISSUER,
        "nbf": 1622576398,
        "vc": {
            "type": [
                "https://smarthealth.cards#health-card",
                "https://smarthealth.cards#immunization",
                "https://smarthealth.cards#covid19",
            ],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": bundle},
        },
    }
    return json.dumps(payload, separators=(",", ":")).encode()


@pytest.fixture
def check_vector(
    testdata: Path, directory: KeyDirectory, sign_text: Callable[[bytes], str]
) -> Callable[..., None]:
    """Verify one dev-tools vector and assert the expected status and reason codes.

    kind: text (files joined by newlines), payload (sign the file's bytes),
    bundle (wrap the FHIR bundle in a payload, then sign) or images (PNG/JPEG)."""

    def run(
        files: tuple[str, ...],
        status: str,
        errors: tuple[str, ...],
        warnings: tuple[str, ...],
        kind: str,
        warning_counts: dict[str, int],
    ) -> None:
        paths = [testdata / name for name in files]
        options: dict[str, Any] = {
            "keys_for_issuer": directory.keys_for_issuer,
            "issuer_for_kid": directory.issuer_for_kid,
            "now": NOW,
        }
        if kind == "images":
            result = verify_qr_images([p.read_bytes() for p in paths], **options)
        else:
            if kind == "payload":
                text = sign_text(paths[0].read_bytes())
            elif kind == "bundle":
                text = sign_text(_wrap_bundle(json.loads(paths[0].read_text())))
            else:
                text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
            [result] = verify_cards(text, **options)

        assert result.status == status, (result.errors, result.warnings)
        assert set(errors) <= set(result.errors), result.errors
        assert set(warnings) <= set(result.warnings), result.warnings
        if status == "authentic":
            assert result.errors == []
        for code, count in warning_counts.items():
            assert result.warnings.count(code) == count, result.warnings

    return run
