"""The README documents every setting the portal reads."""

from __future__ import annotations

from pathlib import Path

from portal.config import DEFAULTS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    text = README.read_text()
    missing = [key for key in DEFAULTS if key != "TESTING" and f"`PORTAL_{key}`" not in text]
    assert missing == []
