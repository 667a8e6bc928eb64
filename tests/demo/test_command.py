"""`portal demo --no-serve` in an empty directory: prints the logins, and reruns add nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from portal.demo.command import demo
from portal.models import metadata

LOGIN = re.compile(
    r"^(parent|patient|agent|supervisor|school_verifier) \S+@\S+ \S+( [A-Z2-7]{16,})?$"
)
ROLES = ("parent", "patient", "agent", "supervisor", "school_verifier")


def run(*args: str) -> list[str]:
    result = CliRunner().invoke(demo, ["--no-serve", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def logins(lines: list[str]) -> list[str]:
    return [line for line in lines if line.split(" ", 1)[0] in ROLES]


def row_counts(database: Path) -> dict[str, int]:
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as conn:
        counts = {
            t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) or 0
            for t in metadata.sorted_tables
        }
    engine.dispose()
    return counts


def test_demo_sets_up_prints_logins_and_reruns_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = run()
    database = tmp_path / "instance" / "portal.db"
    assert database.exists()
    printed = logins(first)
    assert [line.split()[0] for line in printed] == list(ROLES)
    for line in printed:
        assert LOGIN.match(line), line
    assert sum(len(line.split()) == 4 for line in printed) == 2  # agent and supervisor
    hint = next(line for line in first if line.startswith("To try linking a child:"))
    assert re.search(r"born \d{4}-\d{2}-\d{2}, email on file \S+@demo\.example\.$", hint)
    counts = row_counts(database)
    assert counts["patients"] >= 300 and counts["users"] == 5
    assert counts["requests"] >= 10
    roles = first[first.index("What each sign-in can do:") + 1 :]
    assert [line.split(":")[0].strip() for line in roles[:5]] == list(ROLES)
    queue_line = next(line for line in roles if line.startswith("  agent:"))
    assert re.search(
        r"/staff/queue \(\d+ open, [1-9]\d* overdue, [1-9]\d* not claimed\)", queue_line
    )

    start = first.index(next(line for line in first if line.startswith("HL7 exchange")))
    exchange = first[start + 1 : start + 4]
    assert [line.split(": ")[0].strip() for line in exchange] == [
        "Sunrise Pediatrics Medical Group", "Blossom Trail Pharmacy",
        "Pinedale Creek Elementary School (Valley Ridge Unified School District)",
    ]  # fmt: skip
    assert all(len(line.split(": ")[1].split()) == 2 for line in exchange)
    # Every demo organization sends through the exchange with its own credential; three
    # are printed.
    assert counts["org_credentials"] == counts["organizations"] == 11
    totals = next(line for line in first if line.startswith("Registry:"))
    assert re.search(r"; [1-9]\d* VXU and [1-9]\d* QBP messages through the exchange\)", totals)

    second = run()
    assert logins(second) == printed
    assert [line for line in second if line in exchange] == exchange
    assert row_counts(database) == counts

    third = run("--reset")
    assert row_counts(database) == counts
    staff_secrets = [line.split()[3] for line in printed if len(line.split()) == 4]
    assert [line.split()[3] for line in logins(third) if len(line.split()) == 4] != staff_secrets
