"""Chapter 7: forecast dates and reasons for a patient series.

7.1 conditional skip (context Forecast, reference = the assessment date), 7.4 determine
forecast need, 7.5 generate forecast dates (FORECASTDTCAN-1, FORECASTDT-1..6, FORECASTDN-1).
Evidence of immunity (7.2) and contraindications (7.3) need observations, which the
history does not carry yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from .dates import add
from .evaluate import can_skip, intervals, reference_date, relevant_age
from .model import DoseAdministered, Patient, PatientSeries, SeriesForecast
from .supporting import SupportingData, cvx_key

DAY = timedelta(days=1)


def forecast_series(ps: PatientSeries, patient: Patient, history: list[DoseAdministered],
                    data: SupportingData, assessment: date,
                    completed_groups: set[str]) -> SeriesForecast:  # fmt: skip
    targets = ps.series.get("seriesDose") or []
    t = ps.next_target
    # a recurring series dose already satisfied is forecast again as a new target dose
    while t < len(targets) and can_skip(targets[t], "Forecast", patient, assessment, ps.doses,
                                        completed_groups):  # fmt: skip
        t += 1
    antigen = data.antigens.get(ps.antigen) or {}
    if t < len(targets) and (immune_by_birth_date(antigen, patient)
                             or immune_by_history(antigen, patient)):  # fmt: skip
        return SeriesForecast("Immune", reason="Patient has evidence of immunity")
    if contraindicated(antigen, patient, assessment):
        return SeriesForecast("Contraindicated", reason="Patient has a contraindication")
    while True:
        if t >= len(targets):
            return SeriesForecast("Complete", reason="Patient series is complete")
        result = forecast_target(ps, t, patient, history, data, assessment)
        # 7.6 validate the recommendation: a target dose skipped on its own earliest date
        # is not the next one; forecast the one after it
        if result.earliest is None or not can_skip(targets[t], "Forecast", patient,
                                                   result.earliest, ps.doses,
                                                   completed_groups):  # fmt: skip
            ps.next_target = t
            return result
        t += 1


def immune_by_birth_date(antigen: dict, patient: Patient) -> bool:
    """7.2: born before the antigen's immunity birth date, unless an exclusion applies (an
    observation such as health care personnel). Where the rule needs a birth country
    (varicella: the U.S.), it is not applied: the history does not carry one."""
    born = ((antigen.get("immunity") or {}).get("dateOfBirth") or {})
    if not born.get("immunityBirthDate") or born.get("birthCountry"):
        return False
    if any(e.get("exclusionCode") in patient.observations for e in born.get("exclusion") or []):
        return False
    return patient.birth_date < date.fromisoformat(born["immunityBirthDate"])


def immune_by_history(antigen: dict, patient: Patient) -> bool:
    """7.2: an observation that is evidence of immunity (the clinical history's codes)."""
    history = (antigen.get("immunity") or {}).get("clinicalHistory") or []
    return any(h.get("guidelineCode") in patient.observations for h in history)


def contraindicated(antigen: dict, patient: Patient, assessment: date) -> bool:
    """7.3: an observation contraindicating the whole vaccine group, at an age within the
    contraindication's begin and end ages (CALCDTCI-1/2)."""
    groups = (antigen.get("contraindications") or {}).get("vaccineGroup") or []
    for item in (c for g in groups for c in g.get("contraindication") or []):
        if item.get("observationCode") not in patient.observations:
            continue
        if item.get("beginAge") and assessment < add(patient.birth_date, item["beginAge"]):
            continue
        if item.get("endAge") and assessment >= add(patient.birth_date, item["endAge"]):
            continue
        return True
    return False


def forecast_target(ps: PatientSeries, t: int, patient: Patient,
                    history: list[DoseAdministered], data: SupportingData,
                    assessment: date) -> SeriesForecast:  # fmt: skip
    """7.4 and 7.5 for the target dose ps.series' seriesDose[t]."""
    targets = ps.series.get("seriesDose") or []
    satisfied = ps.satisfied
    prior = ps.doses
    target = targets[t]
    age = relevant_age(target, assessment)
    born = patient.birth_date

    def age_date(key: str) -> date | None:
        return add(born, age[key]) if age.get(key) else None

    min_age, rec_age = age_date("minAge"), age_date("earliestRecAge")
    late_age, max_age = age_date("latestRecAge"), age_date("maxAge")
    candidates = [d for d in (min_age,) if d]
    rec_ints: list[date] = []
    late_ints: list[date] = []
    for interval in intervals(target, "interval", assessment):
        ref = reference_date(interval, prior, satisfied)
        if ref is None:
            continue
        if interval.get("minInt"):
            candidates.append(add(ref, interval["minInt"]))
        if interval.get("earliestRecInt"):
            rec_ints.append(add(ref, interval["earliestRecInt"]))
        if interval.get("latestRecInt"):
            late_ints.append(add(ref, interval["latestRecInt"]))
    preferable = {cvx_key(v.get("cvx")) for v in target.get("preferableVaccine") or []}
    impacting = {id(c): c for cvx in preferable for c in data.conflicts_by_current.get(cvx, ())}
    for conflict in impacting.values():
        for other in history:
            if other.cvx in conflict["previous"] and other.given_on <= assessment:
                candidates.append(add(other.given_on, conflict["end"] or (0, 0, 0)))
    for season in target.get("seasonalRecommendation") or []:
        if isinstance(season, dict) and season.get("startDate"):
            candidates.append(date.fromisoformat(season["startDate"]))
    evaluated = [d for d in prior if d.status is not None]
    if evaluated:
        candidates.append(max(d.given_on for d in evaluated))
    earliest = max(candidates) if candidates else born
    if max_age and (assessment >= max_age or earliest >= max_age):
        return SeriesForecast("Aged out", reason="Patient is unable to finish the series")
    recommended = rec_age or (max(rec_ints) if rec_ints else None) or earliest
    past_due = (late_age - DAY) if late_age else ((max(late_ints) - DAY) if late_ints else None)
    number = forecast_dose_number(ps, targets)
    preferable_intervals = intervals(target, "interval", assessment)
    priority = bool(preferable_intervals) and all(
        (i.get("intervalPriority") or "").strip().lower() in ("y", "override")
        for i in preferable_intervals)  # fmt: skip
    return SeriesForecast(
        "Not complete", priority=priority, dose_number=number, earliest=earliest,
        recommended=max(recommended, earliest), unadjusted_recommended=recommended,
        past_due=max(past_due, earliest) if past_due else None, unadjusted_past_due=past_due,
        latest=(max_age - DAY) if max_age else None,
    )  # fmt: skip


def forecast_dose_number(ps: PatientSeries, targets: list[dict]) -> int:
    """FORECASTDN-1: the satisfied target doses (for a seasonal one, only those given on or
    after the season's start) plus one."""
    count = 0
    for index, status, dose in ps.targets_met:
        if status != "Satisfied" or dose is None:
            continue
        starts = [date.fromisoformat(s["startDate"])
                  for s in targets[index].get("seasonalRecommendation") or []
                  if isinstance(s, dict) and s.get("startDate")]  # fmt: skip
        if not starts or dose.given_on >= max(starts):
            count += 1
    return count + 1
