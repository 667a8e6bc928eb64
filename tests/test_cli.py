"""`portal` commands in the demo's folder use its database; elsewhere they say what to set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from portal.cli import main


@pytest.fixture
def no_database_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)


def test_the_readmes_access_code_command_works_in_the_demo_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_database_setting: None
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    demo = runner.invoke(main, ["demo", "--no-serve"])
    assert demo.exit_code == 0, demo.output
    suggested = re.search(r"portal issue-access-code (CA\d{8})", demo.output)
    assert suggested, demo.output

    result = runner.invoke(main, ["issue-access-code", suggested.group(1)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^Access code: \S+", result.output, re.M), result.output
    assert "demo database" in result.output


def test_elsewhere_a_command_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_database_setting: None
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["issue-access-code", "CA39000002"])
    assert result.exit_code != 0
    assert "PORTAL_DATABASE_URL is not set" in result.output
    assert "portal demo" in result.output  # where a demo database would have been found
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback


def test_a_folder_without_the_demo_marker_is_not_taken_for_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_database_setting: None
) -> None:
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "portal.db").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["issue-access-code", "CA39000002"])
    assert result.exit_code != 0 and "PORTAL_DATABASE_URL is not set" in result.output
