"""The CDSi engine's entry point: history + birth date + assessment date -> evaluations
and forecasts per vaccine group (chapters 4 to 9 in order). Plain Python, no Flask.

    forecast_group(patient, doses, "MMR", assessment_date) -> VaccineGroupForecast
    forecast_all(patient, doses, assessment_date) -> {group: VaccineGroupForecast}

`doses` is an iterable of (cvx, given_on).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .best_series import relevant_series, select_best
from .evaluate import evaluate_series
from .forecasting import forecast_series
from .history import antigen_doses, gather_history, organize_by_antigen
from .model import DoseAdministered, Patient, PatientSeries, VaccineGroupForecast
from .supporting import SupportingData, load
from .vaccine_group import merge_group


def evaluate_antigen(antigen: str, patient: Patient, history: list[DoseAdministered],
                     doses: list[DoseAdministered], data: SupportingData,
                     assessment: date) -> PatientSeries | None:  # fmt: skip
    spec = data.antigens.get(antigen)
    if spec is None:
        return None
    candidates: list[PatientSeries] = []
    for series in relevant_series(antigen, spec, patient, assessment):
        candidates.append(PatientSeries(antigen, series, antigen_doses(antigen, doses)))
    # first pass without "completed series" skips, then with the groups completed
    completed: set[str] = set()
    for attempt in range(2):
        for ps in candidates:
            ps.doses = antigen_doses(antigen, doses)
            evaluate_series(ps, patient, history, data, completed, set())
            ps.forecast = forecast_series(ps, patient, history, data, assessment, completed)
        now = {str(ps.select.get("seriesGroup")) for ps in candidates if ps.complete}
        if now == completed or attempt or antigen not in data.completed_series_antigens:
            break
        completed = now
    return select_best(candidates, patient, assessment)


def forecast_group(patient: Patient, doses: Iterable[tuple[str, date]], group: str,
                   assessment: date, data: SupportingData | None = None) -> VaccineGroupForecast:
    data = data or load()
    history = [d for d in gather_history(doses) if d.given_on <= assessment]
    return _group(patient, history, organize_by_antigen(patient, history, data), group,
                  assessment, data)  # fmt: skip


def _group(patient: Patient, history: list[DoseAdministered],
           by_antigen: dict[str, list[DoseAdministered]], group: str, assessment: date,
           data: SupportingData) -> VaccineGroupForecast:  # fmt: skip
    best: dict[str, PatientSeries] = {}
    for antigen in data.vaccine_groups[group]:
        ps = evaluate_antigen(antigen, patient, history, by_antigen.get(antigen, []), data,
                              assessment)  # fmt: skip
        if ps is not None:
            best[antigen] = ps
    positions = sorted({d.position for a in data.vaccine_groups[group]
                        for d in by_antigen.get(a, [])})  # fmt: skip
    return merge_group(group, best, data.full_group.get(group, False), positions)


def forecast_all(patient: Patient, doses: Iterable[tuple[str, date]], assessment: date,
                 data: SupportingData | None = None) -> dict[str, VaccineGroupForecast]:
    data = data or load()
    history = [d for d in gather_history(doses) if d.given_on <= assessment]
    by_antigen = organize_by_antigen(patient, history, data)  # once for every group
    return {g: _group(patient, history, by_antigen, g, assessment, data)
            for g in data.vaccine_groups}  # fmt: skip
