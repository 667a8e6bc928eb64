"""`portal audit verify` on the demo's database, as the README's "Things to try" runs it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import main
from portal.demo.requests import DEMO_REQUESTS, FAMILY


def test_verify_passes_on_the_demo_and_names_an_edited_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "--no-serve"]).exit_code == 0
    database = tmp_path / "instance" / "portal.db"
    # Every staff step of the demo's requests is in the trail, written through audit.record.
    staff_steps = sum(who != FAMILY for spec in DEMO_REQUESTS for _, who, _ in spec.steps)
    assert staff_steps >= 10
    fresh = runner.invoke(main, ["audit", "verify"])
    assert fresh.exit_code == 0, fresh.output
    assert fresh.stdout.strip() == f"audit: {staff_steps} entries, chain intact"
    with sqlite3.connect(database) as conn:
        (registry_id,) = conn.execute("SELECT registry_id FROM patients LIMIT 1").fetchone()
        times = [at for (at,) in conn.execute("SELECT at FROM audit_entries ORDER BY id")]
    assert times == sorted(times)  # the demo's history reads in order
    for _ in range(2):  # the command line issuing codes: two more entries on the same chain
        issued = runner.invoke(main, ["issue-access-code", registry_id])
        assert issued.exit_code == 0, issued.output

    intact = runner.invoke(main, ["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert intact.stdout.strip() == f"audit: {staff_steps + 2} entries, chain intact"

    edited = 3  # one of the demo's own steps
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE audit_entries SET after = '{}' WHERE id = ?", (edited,))
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"entry {edited} was changed" in broken.output
