"""Chapter 6: evaluate each vaccine dose administered against a patient series' target doses.

Sections: 6.2 conditional skip (also used by forecasting, 7.1), 6.3 inadvertent vaccine,
6.4 age, 6.5 preferable interval, 6.6 allowable interval, 6.7 vaccine (live virus)
conflict, 6.8 preferable vaccine, 6.9 allowable vaccine, 6.10 satisfy target dose.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .dates import FAR_FUTURE, FAR_PAST, add
from .model import AntigenDose, DoseAdministered, Patient, PatientSeries
from .supporting import SupportingData, cvx_set, relevant

TOO_YOUNG = "Age: Too Young"
TOO_OLD = "Age: Too Old"
TOO_SOON = "Interval: too Soon"
INADVERTENT = "Inadvertent Vaccine"
CONFLICT = "Live Virus Conflict"
NOT_ALLOWED = "Not a preferable or allowable vaccine"
COMPLETE = "Series Already Complete"


def _age_date(patient: Patient, age: Any, default: date) -> date:
    return add(patient.birth_date, age) if age else default


# 6.2 / 7.1 -----------------------------------------------------------------------------------
def condition_met(cond: dict[str, Any], patient: Patient, reference: date,
                  prior: list[AntigenDose], completed_groups: set[str]) -> bool:  # fmt: skip
    kind = (cond.get("conditionType") or "").strip().lower()
    begin = _age_date(patient, cond.get("beginAge"), FAR_PAST)
    end = _age_date(patient, cond.get("endAge"), FAR_FUTURE)
    if kind == "age":
        return begin <= reference < end
    if kind == "interval":
        if not prior:
            return False
        interval = cond.get("interval")
        if isinstance(interval, list):  # the converter lists <interval> elements
            interval = interval[0] if interval else None
        if not interval:
            return False
        return reference >= add(prior[-1].given_on, interval)
    if kind == "completed series":
        groups = {g.strip() for g in str(cond.get("seriesGroups") or "").split(";") if g.strip()}
        return bool(groups & completed_groups)
    if kind.startswith("vaccine count"):
        types = cvx_set(cond.get("vaccineTypes"))
        start = date.fromisoformat(cond["startDate"]) if cond.get("startDate") else FAR_PAST
        stop = date.fromisoformat(cond["endDate"]) if cond.get("endDate") else FAR_FUTURE
        valid_only = (cond.get("doseType") or "").strip().lower() == "valid"
        count = sum(
            1 for d in prior
            if (not types or d.cvx in types) and begin <= d.given_on < end
            and start <= d.given_on < stop and (not valid_only or d.status == "Valid")
        )  # fmt: skip
        wanted = int(cond.get("doseCount") or 0)
        logic = (cond.get("doseCountLogic") or "").strip().lower()
        if logic.startswith("greater"):
            return count > wanted
        if logic.startswith("equal"):
            return count == wanted
        if logic.startswith("less"):
            return count < wanted
        return False
    return False


def can_skip(target: dict[str, Any], context: str, patient: Patient, reference: date,
             prior: list[AntigenDose], completed_groups: set[str]) -> bool:  # fmt: skip
    """Table 6-11: can the target dose be skipped (context 'Evaluation' or 'Forecast')?"""
    for skip in target.get("conditionalSkip") or []:
        ctx = (skip.get("context") or "").strip().lower()
        if ctx in ("both", context.lower()) and _skip_met(skip, patient, reference, prior,
                                                          completed_groups):  # fmt: skip
            return True
    return False


def _skip_met(skip: dict[str, Any], patient: Patient, reference: date,
              prior: list[AntigenDose], completed_groups: set[str]) -> bool:  # fmt: skip
    results = []
    for group in skip.get("set") or []:
        if not relevant(group, reference):
            continue
        met = [condition_met(c, patient, reference, prior, completed_groups)
               for c in group.get("condition") or []]  # fmt: skip
        logic = (group.get("conditionLogic") or "AND").strip().upper()
        results.append(bool(met) and (any(met) if logic == "OR" else all(met)))
    if not results:
        return False
    set_logic = (skip.get("setLogic") or "").strip().upper()
    return all(results) if set_logic == "AND" else any(results)


# 6.4 -----------------------------------------------------------------------------------------
def relevant_age(target: dict[str, Any], on: date) -> dict[str, Any]:
    ages = target.get("age") or []
    if isinstance(ages, dict):
        ages = [ages]
    for age in ages:
        if relevant(age, on):
            return age
    return {}


def evaluate_age(patient: Patient, target: dict[str, Any], dose: AntigenDose) -> str | None:
    """None when the age is valid (grace period included), else the reason."""
    age = relevant_age(target, dose.given_on)
    abs_min = _age_date(patient, age.get("absMinAge"), FAR_PAST)
    max_age = _age_date(patient, age.get("maxAge"), FAR_FUTURE)
    if dose.given_on < abs_min:
        return TOO_YOUNG
    if dose.given_on >= max_age:
        return TOO_OLD
    return None


# 6.5 / 6.6 -----------------------------------------------------------------------------------
def reference_date(interval: dict[str, Any], prior: list[AntigenDose],
                   satisfied: dict[int, AntigenDose]) -> date | None:  # fmt: skip
    """CALCDTINT-1/2/8: the date an interval counts from (None: the interval does not apply)."""
    if (interval.get("fromPrevious") or "").upper() == "Y":
        for d in reversed(prior):
            if d.status in ("Valid", "Not Valid") and not d.inadvertent:
                return d.given_on
        return None
    if interval.get("fromTargetDose"):
        hit = satisfied.get(int(interval["fromTargetDose"]) - 1)
        return hit.given_on if hit else None
    if interval.get("fromMostRecent"):
        types = cvx_set(interval["fromMostRecent"])
        for d in reversed(prior):
            if d.cvx in types and not d.inadvertent:
                return d.given_on
        return None
    return None


def intervals(target: dict[str, Any], key: str, on: date) -> list[dict[str, Any]]:
    return [i for i in target.get(key) or [] if isinstance(i, dict) and relevant(i, on)]


def evaluate_intervals(target: dict[str, Any], dose: AntigenDose, prior: list[AntigenDose],
                       satisfied: dict[int, AntigenDose]) -> str | None:  # fmt: skip
    ok = True
    for interval in intervals(target, "interval", dose.given_on):
        ref = reference_date(interval, prior, satisfied)
        if ref is None or not interval.get("absMinInt"):
            continue
        if dose.given_on < add(ref, interval["absMinInt"]):
            ok = False
    if ok:
        return None
    allowable = intervals(target, "allowableInterval", dose.given_on)
    if allowable:
        for interval in allowable:
            ref = reference_date(interval, prior, satisfied)
            if ref is not None and interval.get("absMinInt") and (
                    dose.given_on < add(ref, interval["absMinInt"])):  # fmt: skip
                return TOO_SOON
        return None
    return TOO_SOON


# 6.7 -----------------------------------------------------------------------------------------
def evaluate_conflict(dose: AntigenDose, history: list[DoseAdministered],
                      data: SupportingData, invalid: set[int]) -> str | None:  # fmt: skip
    pairs = data.conflict_pairs.get(dose.cvx)
    if not pairs:
        return None
    for other in history:
        conflict = pairs.get(other.cvx)
        if conflict is not None and other.given_on < dose.given_on:
            begin = add(other.given_on, conflict["begin"] or (0, 0, 0))
            end_interval = conflict["end"] if other.position in invalid else (
                conflict["min_end"] or conflict["end"])  # fmt: skip
            end = add(other.given_on, end_interval or (0, 0, 0))
            if begin <= dose.given_on < end:
                return CONFLICT
    return None


# 6.8 / 6.9 -----------------------------------------------------------------------------------
def _vaccine_fits(patient: Patient, vaccine: dict[str, Any], dose: AntigenDose) -> bool:
    if vaccine.get("cvx") != dose.cvx:  # both normalised by cvx_key (supporting.load)
        return False
    begin = _age_date(patient, vaccine.get("beginAge"), FAR_PAST)
    end = _age_date(patient, vaccine.get("endAge"), FAR_FUTURE)
    return begin <= dose.given_on < end


def evaluate_vaccine(patient: Patient, target: dict[str, Any], dose: AntigenDose) -> str | None:
    for key in ("preferableVaccine", "allowableVaccine"):
        if any(_vaccine_fits(patient, v, dose) for v in target.get(key) or []):
            return None
    return NOT_ALLOWED


def is_inadvertent(target: dict[str, Any], dose: AntigenDose) -> bool:
    return any(v.get("cvx") == dose.cvx for v in target.get("inadvertentVaccine") or [])


# the walk ------------------------------------------------------------------------------------
def evaluate_series(ps: PatientSeries, patient: Patient, history: list[DoseAdministered],
                    data: SupportingData, completed_groups: set[str],
                    invalid: set[int]) -> None:  # fmt: skip
    """Evaluate ps.doses in order against the series' target doses (6.1-6.10)."""
    targets = ps.series.get("seriesDose") or []
    ps.targets_met = []
    satisfied: dict[int, AntigenDose] = {}
    t = 0
    prior: list[AntigenDose] = []
    for dose in ps.doses:
        while t < len(targets) and can_skip(targets[t], "Evaluation", patient, dose.given_on,
                                            prior, completed_groups):  # fmt: skip
            ps.targets_met.append((t, "Skipped", None))
            t += 1
        if t >= len(targets):
            dose.status, dose.reason = "Extraneous", COMPLETE
            prior.append(dose)
            continue
        target = targets[t]
        reason: str | None
        if is_inadvertent(target, dose):
            dose.inadvertent = True
            dose.status, dose.reason = "Not Valid", INADVERTENT
            prior.append(dose)
            continue
        reason = evaluate_age(patient, target, dose)
        if reason == TOO_OLD:
            dose.status, dose.reason = "Extraneous", TOO_OLD
            prior.append(dose)
            continue
        reason = reason or evaluate_intervals(target, dose, prior, satisfied)
        # CALCDTCONFLICT-2: a previous dose not valid (here: for this antigen, or listed by
        # the caller) conflicts for the whole conflict end interval
        not_valid = invalid | {d.dose.position for d in prior if d.status == "Not Valid"}
        reason = reason or evaluate_conflict(dose, history, data, not_valid)
        reason = reason or evaluate_vaccine(patient, target, dose)
        if reason:
            dose.status, dose.reason = "Not Valid", reason
        else:
            dose.status, dose.reason, dose.target = "Valid", None, t
            satisfied[t] = dose
            ps.targets_met.append((t, "Satisfied", dose))
            if (target.get("recurringDose") or "").lower() != "yes":
                t += 1
        prior.append(dose)
    ps.next_target = t
    ps.satisfied = satisfied
