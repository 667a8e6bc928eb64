"""Conformance material is found through PORTAL_CONFORMANCE_DIR alone; when it is missing,
a fresh clone's tests skip with the reason, and CI's fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import conformance

ROOT = Path(__file__).resolve().parents[1]


def test_the_default_is_shared_beside_the_repository(monkeypatch) -> None:
    monkeypatch.delenv(conformance.SETTING, raising=False)
    assert conformance.conformance_dir() == (ROOT.parent / "shared" / "conformance").resolve()


def test_the_setting_may_be_absolute_or_relative_to_the_repository(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(conformance.SETTING, str(tmp_path))
    assert conformance.conformance_dir() == tmp_path.resolve()
    monkeypatch.setenv(conformance.SETTING, "tests")
    assert conformance.conformance_dir() == ROOT / "tests"


def test_present_material_is_returned(monkeypatch, tmp_path) -> None:
    (tmp_path / "shc").mkdir()
    (tmp_path / "shc" / "SOURCE.md").write_text("x")
    monkeypatch.setenv(conformance.SETTING, str(tmp_path))
    assert conformance.require("shc", "SOURCE.md") == tmp_path.resolve() / "shc" / "SOURCE.md"


def test_missing_material_skips_outside_ci_and_fails_in_ci(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(conformance.SETTING, str(tmp_path / "nowhere"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PORTAL_CONFORMANCE_DIR"):
        conformance.require("shc")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="nowhere"):
        conformance.require("shc")


def _run_conformance_tests(setting: str, ci: str | None) -> subprocess.CompletedProcess[str]:
    # Its own SQLite file: on PostgreSQL it would wipe the database this run is using.
    dropped = {"CI", conformance.SETTING, "PORTAL_TEST_DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env[conformance.SETTING] = setting
    if ci is not None:
        env["CI"] = ci
    tests = ["tests/proof/cards/test_shc_qr.py", "tests/proof/test_conformance.py"]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", *tests],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_clone_without_the_material_skips_those_tests_and_ci_fails_them(tmp_path) -> None:
    """Every test that reads the material goes through the setting: none finds it elsewhere."""
    missing = str(tmp_path / "no-conformance-here")
    local = _run_conformance_tests(missing, ci=None)
    assert local.returncode == 0, local.stdout[-3000:]
    assert "failed" not in local.stdout and "error" not in local.stdout.lower()
    assert "skipped" in local.stdout and "conformance material missing" in local.stdout
    in_ci = _run_conformance_tests(missing, ci="true")
    assert in_ci.returncode == 1, in_ci.stdout[-3000:]
    assert "CI=true and conformance material missing" in in_ci.stdout
