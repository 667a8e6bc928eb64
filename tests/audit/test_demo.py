"""`portal audit verify` on the demo's database, as the README's "Things to try" runs it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import main


def test_verify_passes_on_the_demo_and_names_an_edited_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "--no-serve"]).exit_code == 0
    database = tmp_path / "instance" / "portal.db"
    with sqlite3.connect(database) as conn:
        (registry_id,) = conn.execute("SELECT registry_id FROM patients LIMIT 1").fetchone()
    for _ in range(2):  # the command line issuing codes: two entries in the trail
        issued = runner.invoke(main, ["issue-access-code", registry_id])
        assert issued.exit_code == 0, issued.output

    intact = runner.invoke(main, ["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert intact.stdout.strip().endswith("entries, chain intact")
    count = int(intact.stdout.split("audit: ")[1].split()[0])
    assert count >= 2

    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE audit_entries SET after = '{}' WHERE id = ?", (count - 1,))
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"entry {count - 1} was changed" in broken.output
