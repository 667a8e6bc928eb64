"""The schedule's supporting data as the engine reads it (CDSi logic spec chapter 3).

Loads the JSON that convert.py wrote (portal/forecast/data/ by default, or another folder
converted the same way: `use(folder)`, which create_app calls with PORTAL_FORECAST_DATA), once
per folder. Durations are [years, months, days] or None
("no restriction"); CVX codes are normalised without leading zeros ("08" -> "8").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .dates import FAR_FUTURE, FAR_PAST

DATA_DIR = Path(__file__).resolve().parent / "data"


def cvx_key(code: Any) -> str:
    text = str(code).strip()
    return text.lstrip("0") or "0" if text.isdigit() else text


def cvx_set(text: str | None) -> frozenset[str]:
    """'01;11; 20' -> {'1', '11', '20'}; empty -> empty (the caller decides what that means)."""
    if not text:
        return frozenset()
    return frozenset(cvx_key(part) for part in str(text).replace(",", ";").split(";")
                     if part.strip())  # fmt: skip


def relevant(element: dict[str, Any], on: date) -> bool:
    """RELEVANT-1/2: an element applies on a day within its effective and cessation dates."""
    start = element.get("effectiveDate")
    end = element.get("cessationDate")
    return (date.fromisoformat(start) if start else FAR_PAST) <= on <= (
        date.fromisoformat(end) if end else FAR_FUTURE)  # fmt: skip


@dataclass(frozen=True)
class Association:
    antigen: str
    begin_age: tuple[int, int, int] | None
    end_age: tuple[int, int, int] | None


@dataclass
class SupportingData:
    version: str
    antigens: dict[str, dict[str, Any]]
    cvx_antigens: dict[str, list[Association]]
    vaccine_groups: dict[str, list[str]]
    full_group: dict[str, bool]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    # the conflicts each CVX is the current (impacted) vaccine of
    conflicts_by_current: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # current CVX -> previous CVX -> the conflict
    conflict_pairs: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # antigens with a "Completed Series" conditional skip (evaluated twice, see engine.py)
    completed_series_antigens: frozenset[str] = frozenset()


def _duration(value: Any) -> tuple[int, int, int] | None:
    return tuple(value) if value else None  # type: ignore[return-value]


def _tuples(value: Any) -> Any:
    """Durations ([years, months, days]) as tuples, so date arithmetic can be cached."""
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) == 3 and all(type(v) is int for v in value):
            return tuple(value)
        return [_tuples(v) for v in value]
    return value


_chosen: str | None = None  # the folder use() named; None: DATA_DIR


def use(folder: str | None) -> None:
    """Make `folder` (a newer CDC release converted by convert.py) the data load() reads
    when it is given none; None goes back to the committed data. Read once, here, so a
    folder that is not there fails at start rather than on the first page."""
    global _chosen
    chosen = str(folder) if folder else None
    _load(chosen or str(DATA_DIR))  # a folder that cannot be read changes nothing
    _chosen = chosen


def load(folder: str | None = None) -> SupportingData:
    """The supporting data in `folder`, else in the folder use() chose, else DATA_DIR."""
    return _load(str(folder or _chosen or DATA_DIR))


@lru_cache(maxsize=4)
def _load(folder: str) -> SupportingData:
    root = Path(folder)
    version = json.loads((root / "version.json").read_text(encoding="utf-8"))
    antigens = {}
    for name in version["antigens"]:
        path = root / f"antigen-{name.replace(' ', '_')}.json"
        spec = _tuples(json.loads(path.read_text(encoding="utf-8")))
        # CDC names the file "JE" and the antigen "Japanese Encephalitis": the series say
        diseases = {s.get("targetDisease") for s in spec.get("series") or []} - {None}
        antigens[diseases.pop() if len(diseases) == 1 else name] = spec
    schedule = json.loads((root / "schedule.json").read_text(encoding="utf-8"))
    cvx_antigens: dict[str, list[Association]] = {}
    for entry in schedule["cvxToAntigenMap"]["cvxMap"]:
        cvx_antigens[cvx_key(entry["cvx"])] = [
            Association(a["antigen"][0], _duration(a.get("associationBeginAge")),
                        _duration(a.get("associationEndAge")))  # fmt: skip
            for a in entry.get("association") or []
        ]
    groups = {g["name"]: list(g["antigen"])
              for g in schedule["vaccineGroupToAntigenMap"]["vaccineGroupMap"]}  # fmt: skip
    full = {g["name"]: (g.get("administerFullVaccineGroup") or "").lower() == "yes"
            for g in schedule["vaccineGroups"]["vaccineGroup"]}  # fmt: skip
    conflicts = []
    for item in schedule["liveVirusConflicts"]["liveVirusConflict"]:
        conflicts.append({
            "current": frozenset(cvx_key(v["cvx"]) for v in item.get("current") or []),
            "previous": frozenset(cvx_key(v["cvx"]) for v in item.get("previous") or []),
            "begin": _duration(item.get("conflictBeginInterval")),
            "min_end": _duration(item.get("minConflictEndInterval")),
            "end": _duration(item.get("conflictEndInterval")),
        })
    by_current: dict[str, list[dict[str, Any]]] = {}
    pairs: dict[str, dict[str, dict[str, Any]]] = {}
    for conflict in conflicts:
        for cvx in conflict["current"]:
            by_current.setdefault(cvx, []).append(conflict)
            for previous in conflict["previous"]:
                pairs.setdefault(cvx, {}).setdefault(previous, conflict)
    for spec in antigens.values():  # CVX codes compared as cvx_key() gives them
        for series in spec.get("series") or []:
            for target in series.get("seriesDose") or []:
                for key in ("preferableVaccine", "allowableVaccine", "inadvertentVaccine"):
                    for vaccine in target.get(key) or []:
                        vaccine["cvx"] = cvx_key(vaccine.get("cvx"))
    completed = frozenset(
        name for name, spec in antigens.items()
        if '"completed series"' in json.dumps(spec).lower())  # fmt: skip
    return SupportingData(version["version"], antigens, cvx_antigens, groups, full, conflicts,
                          by_current, pairs, completed)  # fmt: skip
