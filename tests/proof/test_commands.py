"""`portal generate-card-key` writes a usable private key, readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner

from portal.cli import main
from portal.proof.cards import load_private_key, thumbprint


def test_generate_card_key_writes_a_private_key_only_the_owner_can_read(tmp_path: Path) -> None:
    path = tmp_path / "card-key.json"
    result = CliRunner().invoke(main, ["generate-card-key", str(path)])
    assert result.exit_code == 0, result.output
    key = load_private_key(path.read_text())
    assert "d" in key and thumbprint(key) in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_generate_card_key_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "card-key.json"
    path.write_text("keep me")
    result = CliRunner().invoke(main, ["generate-card-key", str(path)])
    assert result.exit_code != 0
    assert path.read_text() == "keep me"
