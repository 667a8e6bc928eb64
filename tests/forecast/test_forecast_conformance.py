"""CDC's healthy CDSi test cases (v4.45, 1,013 cases) through portal.forecast.

The failing cases sit in portal/forecast/known_failures.txt, each with its first difference.
The test fails when a listed case starts passing (take it off the list: the list only
shrinks) or when a case off the list fails. Regenerate the list with
`python -m portal.forecast.conformance WORKBOOK --write-failures FILE`
(FILE: portal/forecast/known_failures.txt).
"""

from __future__ import annotations

from pathlib import Path

from portal.forecast import conformance
from tests.conformance import require

KNOWN = Path(conformance.__file__).with_name("known_failures.txt")
WORKBOOK = ("cdsi", "testcases", "cdsi-healthy-childhood-and-adult-test-cases-v4.45.xlsx")


def _known() -> dict[str, str]:
    out = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            case_id, _, reason = line.partition("\t")
            assert reason.strip(), f"no reason given for {case_id}"
            out[case_id.strip()] = reason
    return out


def test_healthy_workbook_matches_the_known_failures():
    cases, failures, elapsed = conformance.run(require(*WORKBOOK))
    assert len(cases) == 1013
    known = _known()
    assert set(known) <= {c.case_id for c in cases}, "a listed case is not in the workbook"
    newly_failing = {c: failures[c][0] for c in failures if c not in known}
    now_passing = sorted(set(known) - set(failures))
    assert not newly_failing, f"cases off the list fail: {newly_failing}"
    assert not now_passing, f"listed cases now pass (take them off the list): {now_passing}"
    assert elapsed < 20, f"the run took {elapsed:.1f} s"
