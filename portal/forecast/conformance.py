"""CDC's CDSi test cases against the engine.

    python -m portal.forecast.conformance WORKBOOK.xlsx [--write-failures FILE] [--show N]

Reads the workbook's case sheet (openpyxl; dates are Excel dates, each case's
Assessment_Date is "today"), runs the case's vaccine group and compares every dose's
evaluation (status, reason) and the forecast (dose number, earliest, recommended and past-due
dates, series status). Prints the pass rate per vaccine group, the time per case, and ends
with `cdsi: PASSED/TOTAL cases pass`. --write-failures writes the failing cases, one a line:
`CASE_ID<TAB>first difference`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .engine import forecast_group
from .model import Patient
from .supporting import SupportingData, cvx_key, load

SHEETS = ("FITS Exported TestCases", "Underlying Condition Test Cases")
GROUPS = {
    "DTAP": "DTaP/Tdap/Td", "POL": "Polio", "HPV": "HPV", "HIB": "Hib", "COVID-19": "COVID-19",
    "PCV": "Pneumococcal", "HEPB": "HepB", "MMR": "MMR", "VAR": "Varicella",
    "ROTA": "Rotavirus", "MCV": "Meningococcal", "MENB": "Meningococcal B",
    "ZOSTER": "Zoster", "FLU": "Influenza", "HEPA": "HepA", "RSV": "RSV", "IPOL": "Polio",
}  # fmt: skip


@dataclass
class Case:
    case_id: str
    name: str
    group: str
    birth: date
    gender: str
    assessment: date
    doses: list[tuple[str, date]] = field(default_factory=list)
    expected_doses: list[tuple[str, str]] = field(default_factory=list)
    series_status: str = ""
    dose_number: str = ""
    earliest: date | None = None
    recommended: date | None = None
    past_due: date | None = None
    observations: frozenset[str] = frozenset()


def _date(value: Any) -> date | None:
    if value in (None, "", "-"):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):  # an Excel serial (1900 system)
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return date(1899, 12, 30) + timedelta(days=int(float(text)))
    month, day, year = text.split("/")
    return date(int(year), int(month), int(day))


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def read_cases(path: Path) -> list[Case]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = next(book[name] for name in SHEETS if name in book.sheetnames)
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h else "" for h in next(rows)]
    cases = []
    for raw in rows:
        row = dict(zip(header, raw, strict=False))
        if not row.get("CDC_Test_ID") or not row.get("DOB"):
            continue
        case = Case(
            case_id=_text(row["CDC_Test_ID"]), name=_text(row.get("Test_Case_Name")),
            group=_text(row.get("Vaccine_Group")), birth=_date(row["DOB"]),  # type: ignore[arg-type]
            gender=_text(row.get("gender") or row.get("Gender")),
            assessment=_date(row["Assessment_Date"]),  # type: ignore[arg-type]
            series_status=_text(row.get("Series_Status")),
            dose_number=_text(row.get("Forecast_#")),
            earliest=_date(row.get("Earliest_Date")),
            recommended=_date(row.get("Recommended_Date")),
            past_due=_date(row.get("Past_Due_Date")),
        )  # fmt: skip
        case.observations = frozenset(
            _text(row.get(f"Observation_Code_{k}")).zfill(3) for k in range(1, 4)
            if _text(row.get(f"Observation_Code_{k}")))  # fmt: skip
        for n in range(1, 8):
            given = _date(row.get(f"Date_Administered_{n}"))
            if given is None:
                continue
            case.doses.append((_text(row.get(f"CVX_{n}")), given))
            case.expected_doses.append((_text(row.get(f"Evaluation_Status_{n}")),
                                        _text(row.get(f"Evaluation_Reason_{n}"))))  # fmt: skip
        cases.append(case)
    return cases


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _show(day: date | None) -> str:
    return day.isoformat() if day else "-"


def other_groups(cvx: str, data: SupportingData) -> list[str]:
    antigens = {a.antigen for a in data.cvx_antigens.get(cvx_key(cvx), ())}
    return [g for g, members in data.vaccine_groups.items() if antigens & set(members)]


def check(case: Case) -> list[str]:
    """The differences between the engine and the case (empty: the case passes)."""
    data = load()
    group = GROUPS.get(case.group.upper(), case.group)
    if group not in data.vaccine_groups:
        return [f"unknown vaccine group {case.group}"]
    patient = Patient(case.birth, case.gender, case.observations)
    result = forecast_group(patient, case.doses, group, case.assessment, data)
    evaluations = dict(result.evaluations)
    for n, (cvx, _given) in enumerate(case.doses):
        if n in evaluations:
            continue
        # a dose of another vaccine group (given the same day, say): its own group's answer
        for other in other_groups(cvx, data):
            found = forecast_group(patient, case.doses, other, case.assessment,
                                   data).evaluations.get(n)  # fmt: skip
            if found:
                evaluations[n] = found
                break
    problems = []
    for n, (status, reason) in enumerate(case.expected_doses):
        if not status:
            continue
        got_status, got_reason = evaluations.get(n, ("-", None))
        if _norm(got_status) != _norm(status):
            problems.append(f"dose {n + 1}: {got_status} ({got_reason or ''}) not {status} "
                            f"({reason})")  # fmt: skip
        elif reason and _norm(got_reason) != _norm(reason):
            problems.append(f"dose {n + 1}: reason {got_reason!r} not {reason!r}")
    if _norm(result.status) != _norm(case.series_status):
        problems.append(f"status {result.status} not {case.series_status}")
    number = str(result.dose_number) if result.dose_number else "-"
    expected_number = case.dose_number or "-"
    if number != expected_number:
        problems.append(f"dose number {number} not {expected_number}")
    for label, got, want in (("earliest", result.earliest, case.earliest),
                             ("recommended", result.recommended, case.recommended),
                             ("past due", result.past_due, case.past_due)):  # fmt: skip
        if got != want:
            problems.append(f"{label} {_show(got)} not {_show(want)}")
    return problems


def run(path: Path) -> tuple[list[Case], dict[str, list[str]], float]:
    return run_cases(read_cases(path))


def run_cases(cases: list[Case]) -> tuple[list[Case], dict[str, list[str]], float]:
    """Check each case; the failures by case id, and the seconds the checks took."""
    load()
    failures: dict[str, list[str]] = {}
    started = time.perf_counter()
    for case in cases:
        try:
            problems = check(case)
        except Exception as error:  # noqa: BLE001 - a crash is a failing case, reported
            problems = [f"error {type(error).__name__}: {error}"]
        if problems:
            failures[case.case_id] = problems
    return cases, failures, time.perf_counter() - started


def read_notes(path: Path) -> dict[str, str]:
    """The hand-written notes (a third column) of a failure list, kept when it is rewritten."""
    notes = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3 and not line.startswith("#"):
                notes[parts[0]] = parts[2]
    return notes


def write_failures(path: Path, cases: list[Case], failures: dict[str, list[str]]) -> None:
    notes = read_notes(path)
    lines = []
    for case in cases:
        if case.case_id in failures:
            note = notes.get(case.case_id)
            line = f"{case.case_id}\t{failures[case.case_id][0]}"
            lines.append(f"{line}\t{note}" if note else line)
    path.write_text(
        "# CDSi cases that fail today: case id, tab, the first difference[, tab, a note on why;\n"
        "# notes are kept when the list is rewritten].\n"
        "# Regenerate: python -m portal.forecast.conformance WORKBOOK --write-failures FILE\n"
        + "".join(line + "\n" for line in lines), encoding="utf-8")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.forecast.conformance")
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--write-failures", type=Path, metavar="FILE")
    parser.add_argument("--show", type=int, default=0, help="print N failing cases")
    parser.add_argument("--group", default="", help="only this Vaccine_Group (e.g. MMR)")
    args = parser.parse_args(argv)
    cases, failures, elapsed = run(args.workbook)
    if args.group:
        cases = [c for c in cases if c.group.upper() == args.group.upper()]
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        per[case.group][1] += 1
        if case.case_id not in failures:
            per[case.group][0] += 1
    for group, (passed, total) in sorted(per.items(), key=lambda kv: -kv[1][1]):
        print(f"{group:10} {passed:4}/{total:<4} {100 * passed / total:5.1f}%")
    shown = 0
    for case in cases:
        if case.case_id in failures and shown < args.show:
            print(f"  {case.case_id} [{case.group}] {case.name}: "
                  f"{'; '.join(failures[case.case_id])}")  # fmt: skip
            shown += 1
    if args.write_failures:
        write_failures(args.write_failures, cases, failures)
    total = len(cases)
    passed = sum(1 for c in cases if c.case_id not in failures)
    each = 1000 * elapsed / max(total, 1)
    print(f"time: {elapsed:.2f} s for {total} cases ({each:.2f} ms a case)")
    print(f"cdsi: {passed}/{total} cases pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
