"""Where the public conformance material is (SMART Health Cards, HL7 v2, CDSi): one setting.

`PORTAL_CONFORMANCE_DIR` names the folder that holds shc/, hl7/ and cdsi/; a
relative path is read from the repository root. By default it is
`../shared/conformance`, where shared/ sits beside the repository (as in CI).
When the material is missing, the tests that need it are skipped with that
reason, except in CI (CI=true), where they fail: as the browser tests do.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETTING = "PORTAL_CONFORMANCE_DIR"
DEFAULT = Path("..") / "shared" / "conformance"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def conformance_dir() -> Path:
    raw = os.environ.get(SETTING, "").strip()
    path = Path(raw).expanduser() if raw else DEFAULT
    return (path if path.is_absolute() else ROOT / path).resolve()


def require(*parts: str) -> Path:
    """conformance_dir()/parts, which must exist; else skip (outside CI) or fail (in CI)."""
    path = conformance_dir().joinpath(*parts)
    if not path.exists():
        _missing(f"conformance material missing: {path} (set {SETTING} to the folder "
                 "that holds shc/, hl7/ and cdsi/)")  # fmt: skip
    return path


def _missing(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)
