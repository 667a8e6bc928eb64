"""Chapter 5 (create relevant patient series) and chapter 8 (select the best patient series).

Relevant: standard (and evaluation-only) series whose required gender fits; risk series
need an indication (an observation), which the history does not carry yet. The choice
among them is a simplified chapter 8: a complete series first, then the series in process
with the most valid doses, then one the patient can still start; ties by series
preference and priority.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .dates import add
from .model import Patient, PatientSeries


def relevant_series(antigen: str, data: dict[str, Any], patient: Patient) -> list[dict[str, Any]]:
    out = []
    for series in data.get("series") or []:
        kind = (series.get("seriesType") or "").strip().lower()
        if kind == "risk":
            continue
        genders = {g.strip().lower()[:1] for g in series.get("requiredGender") or [] if g}
        if genders and (patient.gender.lower()[:1] or "u") not in genders:
            continue
        out.append(series)
    return out


def _preference(ps: PatientSeries) -> tuple[int, str]:
    sel = ps.select
    try:
        pref = int(sel.get("seriesPreference") or 99)
    except ValueError:
        pref = 99
    return pref, str(sel.get("seriesPriority") or "Z")


def _can_start(ps: PatientSeries, patient: Patient, assessment: date) -> bool:
    sel = ps.select
    if sel.get("minAgeToStart") and assessment < add(patient.birth_date, sel["minAgeToStart"]):
        return False
    if sel.get("maxAgeToStart") and assessment >= add(patient.birth_date, sel["maxAgeToStart"]):
        return False
    return True


def select_best(candidates: list[PatientSeries], patient: Patient,
                assessment: date) -> PatientSeries | None:  # fmt: skip
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    complete = [ps for ps in candidates if ps.complete]
    if complete:
        return min(complete, key=_preference)
    started = [ps for ps in candidates if ps.valid_count > 0]
    if started:
        return min(started, key=lambda ps: (-ps.valid_count, _preference(ps)))
    startable = [ps for ps in candidates if _can_start(ps, patient, assessment)]
    defaults = [ps for ps in candidates
                if (ps.select.get("defaultSeries") or "").lower() == "yes"]  # fmt: skip
    for pool in ([p for p in defaults if p in startable], startable, defaults, candidates):
        if pool:
            return min(pool, key=_preference)
    return None
