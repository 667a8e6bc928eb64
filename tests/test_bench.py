"""`python bench/run.py --quick --load` runs and prints every figure, so the bench cannot rot."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "bench" / "run.py"

# The figures issue 8 asks for, and the reset timing of issue 7 item 6.
REQUIRED = [
    "record_page_vs_healthz",
    "records_list_vs_healthz",
    "access_log_page_vs_healthz",
    "access_log_page_ms",
    "queue_page_ms",
    "queue_page_vs_healthz",
    "overview_page_ms",
    "overview_page_vs_healthz",
    "pdf_ms",
    "pdf_vs_healthz",
    "verify_vs_healthz",
    "signin_ms",
    "signin_unknown_email_ms",
    "jwks_ms_at_100_cards",
    "crl_ms_at_100_cards",
    "jwks_ms_at_400k_cards",
    "crl_ms_at_400k_cards",
    "crl_bytes_at_400k_cards",
    "healthz_ms",
    "reset_known_minus_unknown_ms",
    "jwks_400k_over_100_cards",
    "crl_400k_over_100_cards",
    "qbp_ms",
    "qbp_vs_healthz",
    "vxu_per_s",
    "vxu_ms",
    "vxu_vs_healthz",
    "forecast_ms_median",
    "forecast_ms_p95",
    "forecast_records_ms_median",
    "forecast_records_ms_p95",
    "cdsi_suite_s",
    "record_page_first_view_ms",
]
LOAD_ROUTES = ["healthz", "record_page", "pdf", "verify", "jwks", "crl"]


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    return subprocess.run(
        [sys.executable, str(RUN), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _figures(stdout: str) -> dict[str, str]:
    figures = {}
    for line in stdout.splitlines():
        name, sep, value = line.partition(": ")
        assert sep, f"not a `name: value` line: {line!r}"
        assert name not in figures, f"{name} printed twice"
        figures[name] = value
    return figures


def test_quick_run_prints_every_figure_for_the_checkout_given(tmp_path: Path) -> None:
    # A copy of the package, so that the venv's editable install of this checkout would
    # shadow it if --code did not take the install's import finder out of the way.
    shutil.copytree(
        ROOT / "portal", tmp_path / "portal", ignore=shutil.ignore_patterns("__pycache__")
    )
    done = _bench("--quick", "--load", "--code", str(tmp_path))
    assert done.returncode == 0, done.stderr
    figures = _figures(done.stdout)
    assert [name for name in REQUIRED if name not in figures] == []
    not_measured = [name for name, value in figures.items() if value == "n/a"]
    assert not_measured == [], done.stderr
    for name in REQUIRED:
        value = float(figures[name])
        assert math.isfinite(value), name
        if name.endswith("_vs_healthz"):
            assert 0 < value < 5, f"{name}: {value}"
        elif name != "reset_known_minus_unknown_ms":
            assert value > 0, f"{name}: {value}"
    assert int(figures["cards_total"]) >= 2000
    assert int(figures["queue_requests"]) >= 200 and float(figures["queue_insert_s"]) < 30
    for route in LOAD_ROUTES:
        assert float(figures[f"load_{route}_rps"]) > 0, route
        assert float(figures[f"load_{route}_p95_ms"]) >= float(figures[f"load_{route}_p50_ms"])
        assert figures[f"load_{route}_errors"] == "0", route
    assert figures["database"] == "sqlite"
    # --code: the package imported is the one under the path given, and it says so.
    assert f"portal imported from {tmp_path / 'portal' / '__init__.py'}" in done.stderr


def test_a_path_without_the_portal_package_is_refused(tmp_path: Path) -> None:
    done = _bench("--quick", "--code", str(tmp_path))
    assert done.returncode != 0
    assert f"no portal package under {tmp_path}" in done.stderr
    assert done.stdout == ""


def test_a_figure_that_cannot_be_measured_prints_n_a_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(RUN.parent))
    import run  # bench/run.py; importing it imports no portal code

    def figures() -> Iterator[tuple[str, float]]:
        yield "pdf_ms", 12.5
        raise LookupError("no print form on the page")

    run.emit("pdf", figures())
    out, err = capsys.readouterr()
    assert out.splitlines() == ["pdf_ms: 12.5", "pdf_vs_healthz: n/a", "pdf_bytes: n/a"]
    assert "pdf: LookupError: no print form on the page" in err
