"""Fixtures over the read-only SMART Health Cards conformance material in shared/.

Test modules take everything from fixtures instead of importing this file, so they
work under any pytest import mode."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from portal.proof.cards import KeyDirectory, Verification, load_private_key, sign_payload, verify_card

EXAMPLE_ISSUER = "https://spec.smarthealth.cards/examples/issuer"
EXAMPLE_KID = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"
X5C_KID = "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw"
# Owner we give to dev-tools' issuer.jwks.public.not.smart.json, a key of some other issuer.
OTHER_ISSUER = "https://other-issuer.example.org"
# After every example's nbf (2021-2024) and before the dev-tools' far-future vector (2050).
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _repo_root() -> Path:
    for parent in Path(__file__).resolve().parents:
        if (parent / "tests").is_dir() and (parent / "portal").is_dir():
            return parent
    raise RuntimeError("cannot find the repository root above " + __file__)


def _shc_dir(root: Path) -> Path:
    """shared/ sits beside the repository (in CI, beside the fresh clone); a git
    worktree may be nested one level deeper, so look further up as well."""
    for parent in root.parents:
        candidate = parent / "shared" / "conformance" / "shc"
        if candidate.is_dir():
            return candidate
    return root.parent / "shared" / "conformance" / "shc"


REPO_ROOT = _repo_root()
SHC_DIR = _shc_dir(REPO_ROOT)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def shc_dir() -> Path:
    if not (SHC_DIR / "SOURCE.md").is_file():
        pytest.fail(f"conformance material missing: expected {SHC_DIR} beside the repository")
    return SHC_DIR


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
    """Sign payload bytes as they are, the way the dev-tools signed their -b- vectors."""

    def run(payload: bytes) -> str:
        return sign_payload(payload, key=example_key)

    return run
